// The image layer in one include: types, decode/encode, resize, hashes, CLIP preprocessing.
#pragma once

#include "warcpairs/image/clip.h"
#include "warcpairs/image/decode.h"
#include "warcpairs/image/hash.h"
#include "warcpairs/image/resize.h"
#include "warcpairs/image/types.h"
