#include "ca/base/version.h"

namespace homeca {

// HOMECA_VERSION is defined for this file alone (ca/base/CMakeLists.txt), so
// a new version recompiles one file.
const char* HomecaVersion() { return HOMECA_VERSION; }

}  // namespace homeca
