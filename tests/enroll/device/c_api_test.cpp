// The C API as firmware sees it: through the shared library, only its
// exported functions. (The protocol itself is tested on the C++ side.)
#include <catch2/catch.hpp>
#include <string>

#include "homeca/enroll.hpp"
#include "homeca_enroll.h"
#include "tests/enroll/device/fake_ca.h"

namespace {

std::string LastError(const homeca_enroll_t* h) { return homeca_enroll_last_error(h); }

TEST_CASE("C API: a bad URL is reported, and the code is still checked first", "[device][c]") {
  homeca_enroll_t* h = homeca_enroll_new("http://ca.home.arpa");
  REQUIRE(h != nullptr);
  CHECK(LastError(h).find("https://") != std::string::npos);
  const std::string code = homeca::enroll::NewCode();
  CHECK(homeca_enroll_pair(h, homeca::enroll::WithTypo(code).c_str()) ==
        HOMECA_ENROLL_ERR_INVALID_CODE);
  CHECK(LastError(h).find("typo") != std::string::npos);
  CHECK(homeca_enroll_pair(h, code.c_str()) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(LastError(h).find("https://") != std::string::npos);
  CHECK(LastError(h).find(code) == std::string::npos);
  CHECK(homeca_enroll_set_ca_url(h, "not a url at all/") == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_ca_url(h, "https://ca.home.arpa:8443") == HOMECA_ENROLL_OK);
  CHECK(LastError(h).empty());
  homeca_enroll_free(h);
}

TEST_CASE("C API: argument errors never crash", "[device][c]") {
  CHECK(homeca_enroll_pair(nullptr, "1234") == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_renew(nullptr) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_not_after(nullptr) == 0);
  CHECK(homeca_enroll_retry_after(nullptr) == 0);
  CHECK(LastError(nullptr).find("no handle") != std::string::npos);
  homeca_enroll_free(nullptr);

  homeca_enroll_t* h = homeca_enroll_new(nullptr);
  REQUIRE(h != nullptr);
  CHECK(homeca_enroll_pair(h, nullptr) == HOMECA_ENROLL_ERR_INVALID_CODE);
  CHECK(homeca_enroll_pair(h, "") == HOMECA_ENROLL_ERR_INVALID_CODE);
  CHECK(homeca_enroll_pair(h, "1234-5678") == HOMECA_ENROLL_ERR_INVALID_CODE);
  // A valid code without a CA URL: refused before the network.
  CHECK(homeca_enroll_pair(h, homeca::enroll::NewCode().c_str()) ==
        HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(LastError(h).find("CA URL") != std::string::npos);
  CHECK(homeca_enroll_set_state_dir(h, nullptr) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_state_dir(h, "") == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_key_path(h, nullptr) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_device_id(h, "spaces are not allowed") ==
        HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_device_id(h, "tv-7f3a") == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_set_device_id(h, nullptr) == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_set_timeout(h, 0) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(homeca_enroll_set_timeout(h, 5) == HOMECA_ENROLL_OK);
  homeca_enroll_free(h);
}

TEST_CASE("C API: nothing installed, and an unreachable CA", "[device][c]") {
  homeca::testing::TempDir dir;
  homeca_enroll_t* h = homeca_enroll_new("https://127.0.0.1:1");
  REQUIRE(h != nullptr);
  REQUIRE(homeca_enroll_set_state_dir(h, (dir / "tls").c_str()) == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_not_after(h) == 0);
  CHECK(LastError(h).find("pair this device first") != std::string::npos);
  CHECK(homeca_enroll_renew_at(h) == 0);
  CHECK(homeca_enroll_renew(h) == HOMECA_ENROLL_ERR_NOT_ENROLLED);
  REQUIRE(homeca_enroll_set_timeout(h, 2) == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_pair(h, homeca::enroll::NewCode().c_str()) == HOMECA_ENROLL_ERR_NETWORK);
  CHECK(LastError(h).find("cannot reach the CA at https://127.0.0.1:1") != std::string::npos);
  homeca_enroll_free(h);
}

TEST_CASE("C API: every error code has a description", "[device][c]") {
  for (int e : {0,  1,  2,  3,  4,  5,  6,  7,  8,  20, 21, 22, 23, 24,
                25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38}) {
    const char* text = homeca_enroll_strerror(static_cast<homeca_enroll_error_t>(e));
    REQUIRE(text != nullptr);
    CHECK(std::string(text).size() > 3);
  }
  CHECK(std::string(homeca_enroll_strerror(HOMECA_ENROLL_ERR_BAD_CONFIRMATION)) ==
        "wrong code or intercepted connection");
  CHECK(std::string(homeca_enroll_version()) == HOMECA_TEST_PROJECT_VERSION);
}

TEST_CASE("C++ API: errors convert to true and carry the message", "[device][c]") {
  homeca::enroll_api::Device device("https://ca.home.arpa");
  CHECK_FALSE(device.SetTimeout(3));
  auto err = device.Pair("0000-0000-0000");
  CHECK(err);
  CHECK(err.code == HOMECA_ENROLL_ERR_INVALID_CODE);
  CHECK(err.message == device.LastError());
  homeca::enroll_api::Device moved = std::move(device);
  CHECK(moved.SetDeviceId("bad id").code == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
}

}  // namespace
