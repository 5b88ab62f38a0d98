// names_export: the NameExporter as a command, for the tests that drive real
// resolvers (dnsmasq_test.sh, unbound_test.sh).
//
//   names_export DIR [RELOAD ARGV...] < MAP
//
// MAP has one host a line: "name[,name...] address[,address...]". Prints
// "changed" or "unchanged"; exits 1 (with the error on stderr) if a file
// could not be written. The exporter's log goes to stderr.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Logger.h>
#include <Poco/StringTokenizer.h>

#include <iostream>
#include <sstream>
#include <string>

#include "webui/names/name_exporter.h"

namespace {

std::vector<std::string> Split(const std::string& text) {
  Poco::StringTokenizer parts(text, ",", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  return {parts.begin(), parts.end()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: names_export DIR [RELOAD ARGV...] < MAP\n";
    return 2;
  }
  Poco::Logger& log = Poco::Logger::get("names_export");
  log.setChannel(new Poco::ConsoleChannel(std::cerr));
  homeca::webui::names::NameMap map;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream words(line);
    std::string names;
    std::string addresses;
    if (!(words >> names >> addresses)) continue;
    map.push_back({Split(names), Split(addresses)});
  }
  homeca::webui::names::NameExporter exporter(argv[1], {argv + 2, argv + argc}, log);
  auto changed = exporter.Export(map);
  if (!changed.ok()) {
    std::cerr << "names_export: " << changed.status().message() << "\n";
    return 1;
  }
  std::cout << (*changed ? "changed" : "unchanged") << std::endl;
  return 0;
}
