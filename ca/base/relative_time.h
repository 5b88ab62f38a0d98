// Relative time for people: "in 3 days", "5 minutes ago". One wording and one
// set of thresholds for every place that shows one (the web pages, and
// homeca-enroll's status and log lines after the date).
//
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>

namespace homeca::ca {

// `when` relative to `now` (unix seconds): "in N <unit>" ahead, "N <unit>
// ago" behind, "now" when equal. The unit is the largest of which there are
// at least two (seconds below 2 minutes, minutes below 2 hours, hours below 2
// days, then days), counted down to a whole number: a shown count is never
// off by more than a third of itself, where "1 hour" could hide 59 minutes.
std::string RelativeTime(std::int64_t when, std::int64_t now);

}  // namespace homeca::ca
