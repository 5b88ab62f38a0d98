// The device side of discovery without a network: choosing the CA from what
// mDNS shows (over the fake Mdns), and the `wait` loop over scripted answers.
#include <catch2/catch.hpp>
#include <thread>

#include "enroll/discovery/ca_finder.h"
#include "enroll/discovery/pair_waiter.h"
#include "mdns/fake_mdns.h"
#include "mdns/homeca_records.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

using namespace std::chrono_literals;
using mdns::RawService;
using mdns::ServiceAddress;

RawService CaRecord(std::string name, std::vector<ServiceAddress> addresses,
                    std::string fp = "fp=0123456789abcdef") {
  return RawService{std::move(name),      mdns::kCaServiceType,
                    "ca.local",           8443,
                    std::move(addresses), {"v=1", std::move(fp), "path=/enroll/v1/"}};
}

ServiceAddress V4(std::string a) { return ServiceAddress{std::move(a), false, 3, "eth0"}; }
ServiceAddress V6(std::string a) { return ServiceAddress{std::move(a), true, 3, "eth0"}; }

FindCaOptions Quick(std::string name = "") {
  FindCaOptions options;
  options.ca_name = std::move(name);
  options.timeout = 300ms;
  options.settle = 20ms;
  return options;
}

}  // namespace

TEST_CASE("discovery: the only CA is found, IPv4 first, path from TXT", "[device][discovery]") {
  mdns::FakeMdns lan;
  lan.Announce(CaRecord("homeca on nas", {V6("fe80::2"), V4("192.168.1.2")}));
  auto found = FindCa(lan, Quick());
  REQUIRE(found.ok());
  CHECK(found->name == "homeca on nas");
  CHECK(found->endpoint.Url() == "https://192.168.1.2:8443/enroll/v1");
  CHECK(found->fingerprint_prefix == "0123456789abcdef");
}

TEST_CASE("discovery: a link-local IPv6 address keeps its interface", "[device][discovery]") {
  mdns::FakeMdns lan;
  lan.Announce(CaRecord("homeca on nas", {V6("fe80::2")}));
  auto found = FindCa(lan, Quick());
  REQUIRE(found.ok());
  CHECK(found->endpoint.host == "fe80::2%eth0");
  CHECK(found->endpoint.Url() == "https://[fe80::2%eth0]:8443/enroll/v1");
}

TEST_CASE("discovery: two CAs need a name, and the name chooses", "[device][discovery]") {
  mdns::FakeMdns lan;
  lan.Announce(CaRecord("homeca on nas", {V4("192.168.1.2")}));
  lan.Announce(CaRecord("homeca on pi", {V4("192.168.1.3")}, "fp=fedcba9876543210"));
  auto ambiguous = FindCa(lan, Quick());
  REQUIRE_FALSE(ambiguous.ok());
  CHECK(ErrorOf(ambiguous) == EnrollError::kInvalidArgument);
  CHECK(ambiguous.status().message() ==
        "found 2 homeca CAs on the LAN: 'homeca on nas', 'homeca on pi'; choose one with "
        "--ca-name NAME (or give --ca URL)");
  auto named = FindCa(lan, Quick("homeca on pi"));
  REQUIRE(named.ok());
  CHECK(named->endpoint.host == "192.168.1.3");
  CHECK(named->fingerprint_prefix == "fedcba9876543210");
}

TEST_CASE("discovery: nothing found is a clear error after the timeout", "[device][discovery]") {
  mdns::FakeMdns lan;
  auto none = FindCa(lan, Quick());
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("no homeca CA found on the LAN within 0.3 s") == 0);
  lan.Announce(CaRecord("homeca on nas", {V4("192.168.1.2")}));
  auto wrong_name = FindCa(lan, Quick("homeca on pi"));
  REQUIRE_FALSE(wrong_name.ok());
  CHECK(wrong_name.status().message().find(
            "no homeca CA named 'homeca on pi' found on the LAN (found: 'homeca on nas')") == 0);
}

TEST_CASE("discovery: records that break the schema are never used", "[device][discovery]") {
  mdns::FakeMdns lan;
  lan.Announce(CaRecord("<b>fake</b>\x1b[2J", {V4("192.168.1.66")}, "fp=nothex"));
  lan.Announce(
      {"no address", mdns::kCaServiceType, "x.local", 8443, {}, {"v=1", "fp=0123456789abcdef"}});
  auto found = FindCa(lan, Quick());
  REQUIRE_FALSE(found.ok());
  const std::string message = found.status().message();
  CHECK(message.find("unusable records:") != std::string::npos);
  CHECK(message.find("no valid root fingerprint prefix") != std::string::npos);
  CHECK(message.find("'no address' (no address)") != std::string::npos);
  CHECK(message.find('\x1b') == std::string::npos);
}

TEST_CASE("discovery: without avahi-daemon the device is told to give --ca",
          "[device][discovery]") {
  mdns::FakeMdns lan;
  lan.SetDaemonRunning(false);
  FindCaOptions options = Quick();
  options.timeout = 2s;
  const auto start = std::chrono::steady_clock::now();
  auto found = FindCa(lan, options);
  REQUIRE_FALSE(found.ok());
  CHECK(found.status().message() ==
        "cannot look for the CA over mDNS: avahi-daemon is not running on this device; give the "
        "CA's address with --ca URL");
  CHECK(std::chrono::steady_clock::now() - start < 1s);
}

namespace {

// Scripted answers for WaitAndPair: each attempt pops the next error (kOk:
// success) and records what the attempt was asked to skip.
// Any enrollment stands for "paired" here.
Enrollment AnEnrollment() {
  static DeviceTestCa ca;
  return Enrollment{ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256).value(),
                    {},
                    ca.authority->root(),
                    {},
                    0,
                    "",
                    ""};
}

struct Script {
  explicit Script(std::vector<EnrollError> a, std::vector<Bytes> s = {})
      : answers(std::move(a)), salts(std::move(s)) {}
  std::vector<EnrollError> answers;
  std::vector<Bytes> salts;  // the salt each attempt "sees"
  std::vector<Bytes> skipped;
  std::vector<std::chrono::milliseconds> pauses;
  std::size_t next = 0;

  WaitHooks Hooks() {
    WaitHooks hooks;
    hooks.attempt = [this](const EnrollerConfig& c) -> Result<Enrollment> {
      skipped.push_back(c.skip_salt);
      const std::size_t i = next++;
      if (c.seen_salt && i < salts.size()) *c.seen_salt = salts[i];
      if (i >= answers.size() || answers[i] == EnrollError::kOk) return AnEnrollment();
      Status failure = Fail(answers[i], "scripted");
      if (answers[i] == EnrollError::kRateLimited) failure = failure.WithRetryAfter(7);
      return failure;
    };
    hooks.sleep = [this](std::chrono::milliseconds pause) {
      pauses.push_back(pause);
      return true;
    };
    hooks.random = [] { return 200u; };  // no jitter
    return hooks;
  }
};

}  // namespace

TEST_CASE("wait: keeps asking while unarmed, with growing pauses", "[device][discovery]") {
  Script script({EnrollError::kNoPairing, EnrollError::kNoPairing, EnrollError::kNoPairing,
                 EnrollError::kNetwork, EnrollError::kNoPairing, EnrollError::kNoPairing,
                 EnrollError::kOk});
  EnrollerConfig config;
  config.device_id = "cam-1";
  auto paired = WaitAndPair(config, script.Hooks(), 0ms);
  REQUIRE(paired.ok());
  CHECK(script.next == 7);
  using ms = std::chrono::milliseconds;
  CHECK(script.pauses ==
        std::vector<ms>{ms(1000), ms(1500), ms(2250), ms(3375), ms(5000), ms(5000)});
}

TEST_CASE("wait: a wrong code is not retried until the admin arms again", "[device][discovery]") {
  const Bytes first_arming = {1, 2, 3};
  Script script({EnrollError::kBadConfirmation, EnrollError::kBadConfirmation, EnrollError::kOk},
                {first_arming, first_arming, Bytes{9, 9}});
  EnrollerConfig config;
  config.device_id = "cam-1";
  REQUIRE(WaitAndPair(config, script.Hooks(), 0ms).ok());
  REQUIRE(script.skipped.size() == 3);
  CHECK(script.skipped[0].empty());
  CHECK(script.skipped[1] == first_arming);  // told not to exchange on that arming again
  CHECK(script.skipped[2] == first_arming);
}

TEST_CASE("wait: permanent failures end the wait, rate limits are honoured",
          "[device][discovery]") {
  Script untrusted({EnrollError::kNoPairing, EnrollError::kUntrusted});
  EnrollerConfig config;
  config.device_id = "cam-1";
  auto refused = WaitAndPair(config, untrusted.Hooks(), 0ms);
  CHECK(ErrorOf(refused) == EnrollError::kUntrusted);
  CHECK(untrusted.next == 2);

  Script busy({EnrollError::kRateLimited, EnrollError::kOk});
  REQUIRE(WaitAndPair(config, busy.Hooks(), 0ms).ok());
  CHECK(busy.pauses == std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(7000)});
}

TEST_CASE("wait: stops on a signal and after --max-wait", "[device][discovery]") {
  Script script(std::vector<EnrollError>(100, EnrollError::kNoPairing));
  WaitHooks hooks = script.Hooks();
  hooks.sleep = [](std::chrono::milliseconds) { return false; };
  EnrollerConfig config;
  config.device_id = "cam-1";
  auto stopped = WaitAndPair(config, hooks, 0ms);
  REQUIRE_FALSE(stopped.ok());
  CHECK(stopped.status().message() == "stopped while waiting to be paired; nothing was installed");

  Script forever(std::vector<EnrollError>(1000, EnrollError::kNoPairing));
  WaitHooks slow = forever.Hooks();
  slow.sleep = [](std::chrono::milliseconds pause) {
    std::this_thread::sleep_for(std::min(pause, std::chrono::milliseconds(30)));
    return true;
  };
  auto timed_out = WaitAndPair(config, slow, std::chrono::milliseconds(100));
  REQUIRE_FALSE(timed_out.ok());
  CHECK(timed_out.status().message().find("within --max-wait") != std::string::npos);
}

TEST_CASE("wait: the backoff stays within 20% of its nominal pause", "[device][discovery]") {
  PollBackoff low;
  CHECK(low.Next(0).count() == 800);
  PollBackoff high;
  CHECK(high.Next(400).count() == 1200);
  PollBackoff mid;
  CHECK(mid.Next(200).count() == 1000);
}

}  // namespace homeca::enroll
