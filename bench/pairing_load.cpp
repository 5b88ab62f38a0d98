// Pairing load generator: many simulated devices pairing at once against a
// running homecad, each over its own TLS connection with the real device
// client (enroll/device). Pairings are armed beforehand, directly in the
// CA's store, with device-made codes (no 100-slot limit), and each device's
// w0/w1 is derived before the clock starts: PBKDF2 is the device's own cost
// (RFC 9383 lets a prover keep w0/w1 instead of the code) and is excluded.
//
// usage: pairing_load CA_URL DATA_DIR DEVICES CONCURRENCY HOMECAD_PID [closed|burst]
//   closed (default): CONCURRENCY workers pair devices back to back.
//   burst: rounds of CONCURRENCY devices that all start at the same moment;
//          the next round starts when the last device of this one is done.
// Prints pairings/s, latency p50/p99 of one pairing (TLS connect, start,
// exchange, finish with a CSR, chain check), the daemon's CPU per pairing
// (user and system), read from /proc/HOMECAD_PID/stat, and the simulated
// devices' own CPU per pairing (this process): both share the machine's
// cores, so together they bound how soon a burst can finish.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "ca/authority.h"
#include "enroll/device/https_transport.h"
#include "enroll/device/protocol_client.h"
#include "enroll/pairing_admin.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/pake/spake2plus.h"

namespace {

struct CpuSeconds {
  double user = 0;
  double system = 0;
  double total() const { return user + system; }
};

CpuSeconds DaemonCpu(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  CpuSeconds cpu;
  const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) cpu.user = static_cast<double>(std::stol(field)) * tick;
    if (i == 15) cpu.system = static_cast<double>(std::stol(field)) * tick;
  }
  return cpu;
}

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace homeca;
  const std::string mode = argc == 7 ? argv[6] : "closed";
  if ((argc != 6 && argc != 7) || (mode != "closed" && mode != "burst")) {
    std::fprintf(stderr,
                 "usage: pairing_load CA_URL DATA_DIR DEVICES CONCURRENCY HOMECAD_PID "
                 "[closed|burst]\n");
    return 2;
  }
  const int devices = std::atoi(argv[3]);
  const int concurrency = std::atoi(argv[4]);
  const int pid = std::atoi(argv[5]);
  auto endpoint = enroll::ParseCaUrl(argv[1]);
  auto authority = ca::Authority::Open(argv[2]);
  if (!endpoint.ok() || !authority.ok() || devices < 1 || concurrency < 1) {
    std::fprintf(stderr, "pairing_load: bad URL, data dir or counts\n");
    return 1;
  }
  struct Device {
    std::string id;
    std::string code;
    std::unique_ptr<ca::PrivateKey> key;
    enroll::PairingOptions options;
  };
  std::vector<Device> fleet;
  for (int i = 0; i < devices; ++i) {
    auto code = enroll::PairingCode::Generate(i % enroll::kPairingSlotCount);
    auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
    const std::string id = "load-" + std::to_string(getpid()) + "-" + std::to_string(i);
    if (!code.ok() || !key.ok()) return 1;
    // The KDF is outside the timing (the device's secrets are precomputed
    // below); PBKDF2 keeps arming hundreds of devices quick, where scrypt
    // would add two 32 MiB stretches per device to the setup.
    auto armed =
        enroll::ArmDevicePairing(**authority, id, code->Display(), {"load" + std::to_string(i)},
                                 3600, "bench", enroll::PasswordKdf::Pbkdf2());
    auto record =
        armed.ok() ? (*authority)
                         ->pairings()
                         .FindArmedPairing(ca::PairingKey::Device(id), (*authority)->clock().Now())
                   : Result<ca::PairingRecord>(armed.status());
    if (!record.ok()) {
      std::fprintf(stderr, "pairing_load: cannot arm: %s\n", record.status().message().c_str());
      return 1;
    }
    auto kdf = enroll::ParsePasswordKdf(record->kdf);
    if (!kdf.ok()) return 1;
    auto secrets = enroll::DeriveProverSecrets(code->digits(), "device:" + id,
                                               enroll::kPairingVerifierId, record->salt, *kdf);
    if (!secrets.ok()) return 1;
    enroll::PairingOptions options;
    options.device_id = id;
    options.precomputed_secrets =
        enroll::PairingOptions::PrecomputedSecrets{record->salt, *kdf, *secrets};
    fleet.push_back({id, code->Display(), std::make_unique<ca::PrivateKey>(*key), options});
  }

  std::vector<double> latencies_ms(devices);
  std::atomic<int> failures{0};
  auto pair_one = [&](int i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto transport = enroll::HttpsTransport::ForPairing(*endpoint);
    bool ok = transport.ok();
    if (ok) {
      auto paired = enroll::PairDevice(**transport, fleet[i].code, *fleet[i].key, fleet[i].options);
      ok = paired.ok();
      if (!ok) std::fprintf(stderr, "pairing %d: %s\n", i, paired.status().message().c_str());
    }
    if (!ok) ++failures;
    latencies_ms[i] =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };

  const CpuSeconds cpu_before = DaemonCpu(pid);
  const double devices_cpu_before = OwnCpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  if (mode == "closed") {
    std::atomic<int> next{0};
    for (int t = 0; t < concurrency; ++t) {
      threads.emplace_back([&] {
        for (int i = next++; i < devices; i = next++) pair_one(i);
      });
    }
  } else {
    // Each round: start its threads, let them all wait on one gate, then
    // open the gate so the devices of the round begin at the same moment.
    // (GCC 12's std::barrier can hang, hence a plain condition variable.)
    for (int first = 0; first < devices; first += concurrency) {
      std::mutex gate_mu;
      std::condition_variable gate_cv;
      bool open = false;
      std::vector<std::thread> round;
      for (int i = first; i < std::min(devices, first + concurrency); ++i) {
        round.emplace_back([&, i] {
          {
            std::unique_lock<std::mutex> lock(gate_mu);
            gate_cv.wait(lock, [&] { return open; });
          }
          pair_one(i);
        });
      }
      {
        std::lock_guard<std::mutex> lock(gate_mu);
        open = true;
      }
      gate_cv.notify_all();
      for (auto& t : round) t.join();
    }
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const CpuSeconds cpu_after = DaemonCpu(pid);
  const double devices_cpu_ms = 1000.0 * (OwnCpuSeconds() - devices_cpu_before) / devices;
  const double user_ms = 1000.0 * (cpu_after.user - cpu_before.user) / devices;
  const double system_ms = 1000.0 * (cpu_after.system - cpu_before.system) / devices;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) { return latencies_ms[static_cast<std::size_t>(p * (devices - 1))]; };
  std::printf(
      "mode=%s devices=%d concurrency=%d seconds=%.2f pairings_per_s=%.1f p50_ms=%.1f "
      "p99_ms=%.1f daemon_cpu_ms_per_pairing=%.2f (user %.2f, system %.2f) "
      "devices_cpu_ms_per_pairing=%.2f failures=%d\n",
      mode.c_str(), devices, concurrency, seconds, devices / seconds, pct(0.50), pct(0.99),
      user_ms + system_ms, user_ms, system_ms, devices_cpu_ms, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
