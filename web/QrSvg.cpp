#include "web/QrSvg.h"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

#include "web/Svg.h"

namespace liufang::web {
std::string qrSvg(const std::string& text, const std::string& sizeCss, const std::string& label) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
  if (!code) throw std::runtime_error("cannot encode a QR code for " + text);
  const int w = code->width;
  const int quiet = 4;
  const int total = w + 2 * quiet;
  // One path: a 1x1 square per dark module (bit 0 of each byte), so the SVG stays small and
  // prints crisply at any size.
  std::string path;
  path.reserve(static_cast<size_t>(w * w) * 4);
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (code->data[y * w + x] & 1)
        path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
  const std::string box = std::to_string(total);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"" +
         svg::escape(label) + "\" width=\"" + sizeCss + "\" height=\"" + sizeCss +
         "\" viewBox=\"0 0 " + box + " " + box + "\" shape-rendering=\"crispEdges\">" +
         "<rect width=\"" + box + "\" height=\"" + box + "\" fill=\"#fff\"/>" +
         "<path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace liufang::web
