// WebP decode with libwebp (still images; animated ones are refused): alpha composited on white.
#include <string>
#include <vector>

#include <webp/decode.h>

#include "codec.h"

namespace warcpairs::image {
namespace {

// VP8_STATUS_NOT_ENOUGH_DATA is libwebp's "the bytes ended early"; anything else is corrupt.
const char* token_for(VP8StatusCode status) {
  return status == VP8_STATUS_NOT_ENOUGH_DATA ? kErrTruncated : kErrCorrupt;
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
  if (config.input.has_animation) {
    return fail(out, kErrUnsupportedFormat, "animated WebP (needs libwebpdemux)");
  }
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
    return fail(out, token_for(status), "WebPDecode status " + std::to_string(status));
  }
  if (alpha) rgba_over_white(rgba.data(), out.image.rgb.data(), static_cast<int64_t>(w) * h);
  out.image.width = w;
  out.image.height = h;
  out.ok = true;
}

}  // namespace warcpairs::image
