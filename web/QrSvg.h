#pragma once
// QR codes as inline SVG, encoded by libqrencode (Debian's libqrencode-dev).
#include <string>

namespace liufang::web {

// An <svg> element drawing `text` as a QR code (error correction M, a quiet zone of four
// modules), `sizeCss` wide and high (e.g. "42mm"), with `label` as its accessible name.
// Throws std::runtime_error if the text cannot be encoded (longer than a QR code holds).
std::string qrSvg(const std::string& text, const std::string& sizeCss, const std::string& label);

}  // namespace liufang::web
