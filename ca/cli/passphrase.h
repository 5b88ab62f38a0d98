// Reading passphrases for the `homeca` commands that encrypt or decrypt
// files (backup, restore, root-key, intermediate). Never from the command
// line, where any user reads it in the process list: from the terminal
// without echo, or for scripts from a file (--passphrase-file FILE, first
// line) or an inherited descriptor (--passphrase-fd N). Never printed.
#pragma once

#include <string>

#include "ca/base/args.h"
#include "ca/base/status.h"

namespace homeca::cli {

// The two options, for a CommandSpec; `what` says whose passphrase it is.
OptionSpec PassphraseFileOption(const std::string& prefix, const std::string& what);
OptionSpec PassphraseFdOption(const std::string& prefix, const std::string& what);

// Reads the passphrase named by --<prefix>passphrase-file or
// --<prefix>passphrase-fd, else asks on the terminal (`prompt`; twice when
// `confirm`, refusing two different answers). Without a terminal and without
// either option it fails with a message saying which option to use.
Result<std::string> ReadPassphrase(const ParsedArgs& args, const std::string& prefix,
                                   const std::string& prompt, bool confirm);

}  // namespace homeca::cli
