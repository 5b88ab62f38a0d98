// The version every homeca program prints for --version: the one CMake's
// project() declares, so the three programs and the package agree.
//
// Thread-safety: a constant.
#pragma once

namespace homeca {

// "0.1.0"
const char* HomecaVersion();

}  // namespace homeca
