// BSD getopt(3) as FreeBSD's libc implements it, over an argument vector: option clusters
// ("-la"), option arguments attached or separate, "--" ending options, a lone "-" being an
// operand, and the exact diagnostics getopt prints. Leaves out optreset, long options, GNU
// argument permutation (BSD stops at the first operand) and the leading-':' quiet mode.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace procsim::userland {

struct ParsedOption {
  char letter = 0;
  std::optional<std::string> argument;  // set for letters followed by ':' in the option string

  bool operator==(const ParsedOption&) const = default;
};

struct GetoptResult {
  std::vector<ParsedOption> options;  // in command-line order, repeats kept
  std::vector<std::string> operands;  // what follows the options
  // The diagnostic getopt printed for the first bad option ("ls: illegal option -- q\n"), or
  // empty. Parsing stops at the first bad option, as every FreeBSD program calls usage() there.
  std::string error;

  bool ok() const { return error.empty(); }
};

// arguments excludes argv[0]; program is the name getopt prints (__progname).
GetoptResult parse_options(std::string_view program, std::span<const std::string> arguments,
                           std::string_view option_string);

}  // namespace procsim::userland
