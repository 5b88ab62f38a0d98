#include "webui/onboarding/qr_svg.h"

#include <qrencode.h>

#include <memory>

namespace homeca::webui {
namespace {

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

// ISO/IEC 18004 asks for a quiet zone of four modules on every side.
constexpr int kQuietZone = 4;
// Far beyond any URL we encode; keeps the SVG small.
constexpr std::size_t kMaxText = 1024;

}  // namespace

Result<std::string> QrCodeSvg(std::string_view text) {
  if (text.empty() || text.size() > kMaxText) {
    return Status::InvalidArgument("a QR code needs 1 to 1024 bytes of text");
  }
  const std::string input(text);
  // Byte mode: URLs carry lower case and '/', which QR's alphanumeric mode lacks.
  QrPtr code(QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return Status::InvalidArgument("the text does not fit in a QR code");
  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte is 1 for a dark module.
      if ((code->data[y * width + x] & 1) != 0) {
        path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) +
                "h1v1h-1z";
      }
    }
  }
  const std::string dim = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + dim + "\" height=\"" + dim +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
}

}  // namespace homeca::webui
