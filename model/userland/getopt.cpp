// BSD getopt(3); see getopt.h. The messages are FreeBSD libc's (lib/libc/stdlib/getopt.c).
#include "model/userland/getopt.h"

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

// Where a letter sits in the option string, and whether it takes an argument.
struct OptionSpec {
  bool known = false;
  bool takes_argument = false;
};

OptionSpec find_option(std::string_view option_string, char letter) {
  if (letter == ':') return {};
  auto at = option_string.find(letter);
  if (at == std::string_view::npos) return {};
  bool takes = at + 1 < option_string.size() && option_string[at + 1] == ':';
  return OptionSpec{true, takes};
}

}  // namespace

GetoptResult parse_options(std::string_view program, std::span<const std::string> arguments,
                           std::string_view option_string) {
  PROCSIM_ASSERT(!option_string.empty());
  PROCSIM_ASSERT_MSG(option_string[0] != ':', "quiet mode is not modelled");
  GetoptResult result;
  std::size_t index = 0;
  bool stopped_inside_word = false;
  for (; index < arguments.size() && !stopped_inside_word; ++index) {
    const std::string& word = arguments[index];
    // A word that does not start with '-', or is "-" alone, ends the options.
    if (word.size() < 2 || word[0] != '-') break;
    if (word == "--") {
      ++index;
      break;
    }
    for (std::size_t at = 1; at < word.size(); ++at) {
      char letter = word[at];
      OptionSpec spec = find_option(option_string, letter);
      if (!spec.known && letter == '-') {
        // libc treats an unknown '-' as the end of the options and leaves this whole word
        // as the first operand ("--foo", "-a-b").
        stopped_inside_word = true;
        break;
      }
      if (!spec.known) {
        result.error = fmt::format("{}: illegal option -- {}\n", program, letter);
        return result;
      }
      if (!spec.takes_argument) {
        result.options.push_back(ParsedOption{letter, std::nullopt});
        continue;
      }
      if (at + 1 < word.size()) {
        result.options.push_back(ParsedOption{letter, word.substr(at + 1)});
      } else if (index + 1 < arguments.size()) {
        ++index;
        result.options.push_back(ParsedOption{letter, arguments[index]});
      } else {
        result.error = fmt::format("{}: option requires an argument -- {}\n", program, letter);
        return result;
      }
      break;
    }
  }
  if (stopped_inside_word) --index;
  for (; index < arguments.size(); ++index) result.operands.push_back(arguments[index]);
  PROCSIM_ASSERT(result.ok());
  return result;
}

}  // namespace procsim::userland
