#include "enroll/acme/nonce_pool.h"

#include <catch2/catch.hpp>
#include <set>
#include <thread>
#include <vector>

namespace acme = homeca::enroll::acme;
using homeca::ca::FakeClock;

TEST_CASE("nonce pool: a nonce is 128 random bits, base64url, accepted exactly once") {
  FakeClock clock(1'000'000);
  acme::NoncePool pool(clock);
  const std::string nonce = pool.Issue();
  CHECK(nonce.size() == 22);
  REQUIRE(homeca::Base64UrlDecode(nonce));
  CHECK(homeca::Base64UrlDecode(nonce)->size() == 16);
  CHECK(pool.Issue() != nonce);
  CHECK(pool.Consume(nonce));
  CHECK_FALSE(pool.Consume(nonce));
  CHECK_FALSE(pool.Consume("AAAAAAAAAAAAAAAAAAAAAA"));
  CHECK_FALSE(pool.Consume(""));
}

TEST_CASE("nonce pool: nonces expire with age") {
  FakeClock clock(1'000'000);
  acme::NoncePool pool(clock, {.max_nonces = 100, .max_age_seconds = 60});
  const std::string old_nonce = pool.Issue();
  clock.Advance(30);
  const std::string young = pool.Issue();
  clock.Advance(30);
  CHECK_FALSE(pool.Consume(old_nonce));
  CHECK(pool.Consume(young));
  CHECK(pool.size() == 0);
}

TEST_CASE("nonce pool: past the bound, the oldest nonces are dropped") {
  FakeClock clock(1'000'000);
  acme::NoncePool pool(clock, {.max_nonces = 3, .max_age_seconds = 3600});
  std::vector<std::string> nonces;
  for (int i = 0; i < 5; ++i) nonces.push_back(pool.Issue());
  CHECK(pool.size() == 3);
  CHECK_FALSE(pool.Consume(nonces[0]));
  CHECK_FALSE(pool.Consume(nonces[1]));
  CHECK(pool.Consume(nonces[2]));
  CHECK(pool.Consume(nonces[4]));
  CHECK(pool.Consume(nonces[3]));
}

TEST_CASE("nonce pool: concurrent issue and consume accept each nonce once") {
  FakeClock clock(1'000'000);
  acme::NoncePool pool(clock, {.max_nonces = 100000, .max_age_seconds = 3600});
  std::vector<std::string> issued;
  for (int i = 0; i < 2000; ++i) issued.push_back(pool.Issue());
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (const std::string& nonce : issued) {
        if (pool.Consume(nonce)) ++accepted;
        (void)pool.Issue();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(accepted.load() == 2000);
  CHECK(pool.size() == 8000);
}
