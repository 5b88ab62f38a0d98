#include "mdns/homeca_records.h"

#include <catch2/catch.hpp>

#include "mdns/mdns.h"
#include "mdns/untrusted_text.h"

using namespace homeca::mdns;

namespace {

ResolvedService WithTxt(std::vector<std::string_view> txt) {
  ResolvedService s;
  s.key = {"homeca on ca", kCaServiceType, "local"};
  s.txt = ParseTxt(txt).entries;
  return s;
}

}  // namespace

TEST_CASE("the CA announcement carries version, fingerprint prefix and path") {
  const std::string sha = "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789";
  Announcement a = MakeCaAnnouncement("homeca on ca", 8443, sha);
  CHECK(a.type == "_homeca._tcp");
  CHECK(a.port == 8443);
  CHECK(FindTxt(a.txt, "v") == "1");
  CHECK(FindTxt(a.txt, "fp") == "abcdef0123456789");
  CHECK(FindTxt(a.txt, "path") == "/enroll/v1/");
  CHECK(CheckAnnouncement(a).ok());

  ResolvedService seen;
  seen.txt = a.txt;
  auto record = ParseCaRecord(seen);
  REQUIRE(record.ok());
  CHECK(record->fingerprint_prefix == "abcdef0123456789");
  CHECK(record->path == "/enroll/v1/");
}

TEST_CASE("CA records that break the schema are refused") {
  CHECK_FALSE(ParseCaRecord(WithTxt({"fp=abcdef0123456789"})).ok());         // no v
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=2", "fp=abcdef0123456789"})).ok());  // newer
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1"})).ok());                         // no fp
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1", "fp=abcdef"})).ok());            // short
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1", "fp=zzzzzzzzzzzzzzzz"})).ok());  // not hex
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1", "fp=abcdef0123456789", "path=enroll"})).ok());
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1", "fp=abcdef0123456789", "path=/../etc"})).ok());
  CHECK_FALSE(ParseCaRecord(WithTxt({"v=1", "fp=abcdef0123456789", "path=/a?b=<script>"})).ok());
  // Upper-case hex is the same fingerprint.
  auto upper = ParseCaRecord(WithTxt({"v=1", "fp=ABCDEF0123456789"}));
  REQUIRE(upper.ok());
  CHECK(upper->fingerprint_prefix == "abcdef0123456789");
  CHECK(upper->path == "/enroll/v1/");  // the default
}

TEST_CASE("pair records need a valid device id") {
  ResolvedService s;
  s.key = {"tv", kPairServiceType, "local"};
  s.txt = ParseTxt({"id=tv-livingroom-7f3a", "model=Acme TV <b>4K</b>"}).entries;
  auto record = ParsePairRecord(s);
  REQUIRE(record.ok());
  CHECK(record->device_id == "tv-livingroom-7f3a");
  CHECK(record->model == "Acme TV <b>4K</b>");

  s.txt = ParseTxt({"id=../../etc/passwd"}).entries;
  CHECK_FALSE(ParsePairRecord(s).ok());
  s.txt = ParseTxt({"id=" + std::string(65, 'a')}).entries;
  CHECK_FALSE(ParsePairRecord(s).ok());
  s.txt = ParseTxt({"id=a b"}).entries;
  CHECK_FALSE(ParsePairRecord(s).ok());
  s.txt = ParseTxt({"model=x"}).entries;
  CHECK_FALSE(ParsePairRecord(s).ok());

  s.txt = ParseTxt({"id=cam-1", "model=" + std::string(300, 'M')}).entries;
  auto long_model = ParsePairRecord(s);
  REQUIRE(long_model.ok());
  CHECK(long_model->model.size() == kMaxModelBytes);

  Announcement a = MakePairAnnouncement("cam-1 waiting", "cam-1", "Acme cam");
  CHECK(a.type == "_homeca-pair._tcp");
  CHECK(CheckAnnouncement(a).ok());
}

TEST_CASE("a constrained device asks for PBKDF2 in its pair record, nothing else is taken") {
  Announcement plain = MakePairAnnouncement("cam-1", "cam-1", "Acme cam");
  CHECK_FALSE(FindTxt(plain.txt, "kdf").has_value());
  Announcement asks = MakePairAnnouncement("cam-1", "cam-1", "Acme cam", kPairKdfPbkdf2);
  CHECK(FindTxt(asks.txt, "kdf") == "pbkdf2-sha256");
  CHECK(CheckAnnouncement(asks).ok());
  ResolvedService seen;
  seen.txt = asks.txt;
  REQUIRE(ParsePairRecord(seen).ok());
  CHECK(ParsePairRecord(seen)->kdf == "pbkdf2-sha256");
  // A parameter string from the LAN is never passed on (scrypt$30$... would
  // otherwise reach the CA's arming).
  for (std::string_view kdf : {"kdf=scrypt$30$8$1", "kdf=pbkdf2-sha256$1000", "kdf=PBKDF2"}) {
    auto record = ParsePairRecord(WithTxt({"id=cam-1", kdf}));
    REQUIRE(record.ok());
    CHECK(record->kdf.empty());
  }
}

TEST_CASE("the default CA instance name is bounded") {
  CHECK(DefaultCaInstanceName("nas") == "homeca on nas");
  CHECK(DefaultCaInstanceName("nas.example.org") == "homeca on nas");
  CHECK(DefaultCaInstanceName(std::string(100, 'h')).size() == kMaxInstanceNameBytes);
}

TEST_CASE("announcements are checked before they reach the daemon") {
  Announcement ok{"name", "_http._tcp", 80, {}};
  CHECK(CheckAnnouncement(ok).ok());
  Announcement bad_type = ok;
  bad_type.type = "_HTTP._tcp";
  CHECK_FALSE(CheckAnnouncement(bad_type).ok());
  bad_type.type = "http._tcp";
  CHECK_FALSE(CheckAnnouncement(bad_type).ok());
  bad_type.type = "_this-is-far-too-long._tcp";
  CHECK_FALSE(CheckAnnouncement(bad_type).ok());
  Announcement long_name = ok;
  long_name.name = std::string(64, 'n');
  CHECK_FALSE(CheckAnnouncement(long_name).ok());
  Announcement control = ok;
  control.name = "a\nb";
  CHECK_FALSE(CheckAnnouncement(control).ok());
  Announcement empty = ok;
  empty.name.clear();
  CHECK_FALSE(CheckAnnouncement(empty).ok());
  Announcement big_txt = ok;
  big_txt.txt.push_back({"k", std::string(300, 'v'), true});
  CHECK_FALSE(CheckAnnouncement(big_txt).ok());
  Announcement bad_key = ok;
  bad_key.txt.push_back({"a=b", "c", true});
  CHECK_FALSE(CheckAnnouncement(bad_key).ok());
}
