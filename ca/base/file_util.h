// Small file-system helpers with the guarantees a CA needs: atomic,
// durable writes with the right mode from the first byte.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca {

// Writes `data` to a temporary file beside `path` created with `mode`, fsyncs
// it, renames it over `path` and fsyncs the directory, so a crash leaves either
// the old file or the complete new one, and a key is never world-readable even
// for a moment.
Status WriteFileAtomic(const std::filesystem::path& path, std::string_view data, mode_t mode);

// Reads a whole file, refusing files larger than `max_bytes`.
Result<std::string> ReadFile(const std::filesystem::path& path,
                             std::size_t max_bytes = 16 * 1024 * 1024);

// Creates `dir` (and parents) if missing, with `mode` for the ones it creates.
Status EnsureDirectory(const std::filesystem::path& dir, mode_t mode);

}  // namespace homeca
