#include "ca/base/relative_time.h"

namespace homeca::ca {
namespace {

struct Unit {
  std::int64_t seconds;
  const char* name;
};

// Largest first; a unit is used from two of it on.
constexpr Unit kUnits[] = {{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};

}  // namespace

std::string RelativeTime(std::int64_t when, std::int64_t now) {
  if (when == now) return "now";
  // Not -delta: a delta of INT64_MIN has no positive counterpart.
  const std::uint64_t magnitude =
      when > now ? static_cast<std::uint64_t>(when) - now : static_cast<std::uint64_t>(now) - when;
  Unit unit = kUnits[3];
  for (const Unit& u : kUnits) {
    if (magnitude >= 2 * static_cast<std::uint64_t>(u.seconds)) {
      unit = u;
      break;
    }
  }
  const std::uint64_t count = magnitude / static_cast<std::uint64_t>(unit.seconds);
  const std::string amount = std::to_string(count) + " " + unit.name + (count == 1 ? "" : "s");
  return when > now ? "in " + amount : amount + " ago";
}

}  // namespace homeca::ca
