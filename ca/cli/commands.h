// The `homeca` subcommands; each takes the arguments after its own name and
// returns the process exit code.
#pragma once

#include <string>
#include <vector>

namespace homeca::cli {

using Args = std::vector<std::string>;

int RunInit(const Args& args);
int RunInfo(const Args& args);
int RunIssue(const Args& args);
int RunList(const Args& args);
int RunShow(const Args& args);
int RunRevoke(const Args& args);
int RunCrl(const Args& args);
int RunExportRoot(const Args& args);
int RunBackup(const Args& args);
int RunRestore(const Args& args);
int RunAudit(const Args& args);
int RunPair(const Args& args);          // cmd_pair.cpp; needs the enrollment core
int RunDevice(const Args& args);        // cmd_device.cpp
int RunAdmin(const Args& args);         // cmd_admin_password.cpp
int RunRootKey(const Args& args);       // cmd_root_key.cpp
int RunIntermediate(const Args& args);  // cmd_intermediate.cpp

}  // namespace homeca::cli
