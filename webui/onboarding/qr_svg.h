// QR codes as SVG, through libqrencode: the onboarding page shows one that
// opens the page itself on a phone.
//
// Thread-safety: libqrencode's encoder is reentrant; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::webui {

// An SVG image (black modules on white, a 4-module quiet zone, error
// correction level M) encoding `text` in byte mode. InvalidArgument when
// `text` is empty or too long for a QR code.
Result<std::string> QrCodeSvg(std::string_view text);

}  // namespace homeca::webui
