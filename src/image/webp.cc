// WebP decode with libwebp (animated: the first frame, through libwebpdemux's WebPAnimDecoder
// as PIL does): alpha composited on white.
#include <string>
#include <vector>

#include <webp/decode.h>
#include <webp/demux.h>

#include "codec.h"

namespace warcpairs::image {
namespace {

// VP8_STATUS_NOT_ENOUGH_DATA is libwebp's "the bytes ended early"; anything else is corrupt.
const char* token_for(VP8StatusCode status) {
  return status == VP8_STATUS_NOT_ENOUGH_DATA ? kErrTruncated : kErrCorrupt;
}

// A RIFF header whose size (RIFF §, little-endian, + 8 for the header itself) is past the bytes
// we have: the file was cut. WebPDemux reports that only as a failure.
bool riff_cut(std::span<const uint8_t> b) {
  if (b.size() < 8) return true;
  const uint64_t riff = uint64_t{b[4]} | (uint64_t{b[5]} << 8) | (uint64_t{b[6]} << 16) |
                        (uint64_t{b[7]} << 24);
  return riff + 8 > b.size();
}

struct AnimDecoder {
  WebPAnimDecoder* dec = nullptr;
  ~AnimDecoder() {
    if (dec) WebPAnimDecoderDelete(dec);
  }
};

// The first frame on its canvas (size already accepted by the caller), RGBA -> on white.
void decode_first_frame(std::span<const uint8_t> bytes, DecodeResult& out) {
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) return detail::fail(out, kErrCorrupt, "libwebpdemux");
  options.color_mode = MODE_RGBA;
  options.use_threads = 0;
  const WebPData data = {bytes.data(), bytes.size()};
  AnimDecoder anim{WebPAnimDecoderNew(&data, &options)};
  WebPAnimInfo info;
  uint8_t* canvas = nullptr;
  int timestamp = 0;
  if (!anim.dec || !WebPAnimDecoderGetInfo(anim.dec, &info) ||
      static_cast<int32_t>(info.canvas_width) != out.width ||
      static_cast<int32_t>(info.canvas_height) != out.height ||
      !WebPAnimDecoderGetNext(anim.dec, &canvas, &timestamp)) {
    return detail::fail(out, riff_cut(bytes) ? kErrTruncated : kErrCorrupt, "animated WebP");
  }
  out.image.width = out.width;
  out.image.height = out.height;
  out.image.rgb.resize(static_cast<size_t>(out.width) * out.height * 3);
  detail::rgba_over_white(canvas, out.image.rgb.data(), static_cast<int64_t>(out.width) * out.height);
  out.ok = true;
}

// Frees the decoder's internal buffers; our output memory is external and stays ours.
struct ConfigGuard {
  WebPDecoderConfig* config;
  ~ConfigGuard() { WebPFreeDecBuffer(&config->output); }
};

}  // namespace

void detail::decode_webp(std::span<const uint8_t> bytes, const DecodeLimits& limits,
                         DecodeResult& out) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return fail(out, kErrCorrupt, "libwebp version mismatch");
  ConfigGuard guard{&config};
  // WebPGetFeatures reads the header only (VP8/VP8L/VP8X): the size is known before any
  // pixel memory is taken.
  VP8StatusCode status = WebPGetFeatures(bytes.data(), bytes.size(), &config.input);
  if (status != VP8_STATUS_OK) {
    return fail(out, token_for(status), "WebPGetFeatures status " + std::to_string(status));
  }
  if (!accept_size(config.input.width, config.input.height, limits, out)) return;
  if (config.input.has_animation) return decode_first_frame(bytes, out);
  const int w = config.input.width, h = config.input.height;
  const bool alpha = config.input.has_alpha;
  const int channels = alpha ? 4 : 3;
  std::vector<uint8_t> rgba;
  out.image.rgb.resize(static_cast<size_t>(w) * h * 3);
  uint8_t* dst = out.image.rgb.data();
  if (alpha) {
    rgba.resize(static_cast<size_t>(w) * h * 4);
    dst = rgba.data();
  }
  config.output.colorspace = alpha ? MODE_RGBA : MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = dst;
  config.output.u.RGBA.stride = w * channels;
  config.output.u.RGBA.size = static_cast<size_t>(w) * h * channels;
  status = WebPDecode(bytes.data(), bytes.size(), &config);
  if (status != VP8_STATUS_OK) {
    const char* token = riff_cut(bytes) ? kErrTruncated : token_for(status);
    return fail(out, token, "WebPDecode status " + std::to_string(status));
  }
  if (alpha) rgba_over_white(rgba.data(), out.image.rgb.data(), static_cast<int64_t>(w) * h);
  out.image.width = w;
  out.image.height = h;
  out.ok = true;
}

}  // namespace warcpairs::image
