// A fresh CA in a test's directory, for the tests of what the CA does with
// it. A test that checks Init itself calls Authority::Init directly.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>

#include "ca/authority.h"

namespace homeca::testing {

inline std::unique_ptr<ca::Authority> NewAuthority(const std::filesystem::path& dir,
                                                   const ca::InitOptions& options = {}) {
  auto created = ca::Authority::Init(dir, options);
  INFO(created.status().message() << " " << created.status().detail());
  REQUIRE(created.ok());
  return std::move(*created);
}

}  // namespace homeca::testing
