#include "tests/ca/verify_judge.h"

namespace homeca::testing {

ProcessResult JudgeLeaf(const ca::Authority& authority, const std::string& leaf_pem,
                        bool check_crl) {
  TempDir dir;
  WriteText(dir / "leaf.pem", leaf_pem);
  std::vector<std::string> argv = {"openssl",
                                   "verify",
                                   "-x509_strict",
                                   "-purpose",
                                   "sslserver",
                                   "-CAfile",
                                   authority.data_dir().root_cert().string(),
                                   "-untrusted",
                                   authority.data_dir().intermediate_cert().string()};
  if (check_crl) {
    argv.insert(argv.end(), {"-crl_check", "-CRLfile", authority.data_dir().crl_pem().string()});
  }
  argv.push_back((dir / "leaf.pem").string());
  return Run(argv);
}

}  // namespace homeca::testing
