// The interactive shell command; see shell_command.h. The session is a scenario built on the
// fly: a machine directive and a login, then one '%' line per line read.
#include "model/driver/shell_command.h"

#include <string>

#include <fmt/format.h>

#include "model/driver/session.h"
#include "sim/script/scenario.h"

namespace procsim::driver {

namespace {

// The longest line read at once; longer input is read in pieces, each typed as a line.
constexpr std::size_t kLineBytesMax = 4096;

void print_lines(const OutputLines& lines, std::FILE* out) {
  for (const std::string& line : lines) std::fprintf(out, "%s\n", line.c_str());
}

}  // namespace

int run_shell(const ShellOptions& options, std::FILE* in, std::FILE* out, std::FILE* err) {
  std::string machine = "machine";
  bool has_arch = false;
  for (const std::string& word : options.machine_words) {
    machine += " " + word;
    has_arch = has_arch || word.starts_with("arch=");
  }
  if (!has_arch) machine += " arch=amd64";
  auto boot = script::parse_scenario("<shell>", machine + "\nlogin\n");
  if (boot.is_error()) {
    std::fprintf(err, "%s\n", boot.error().format().c_str());
    return 2;
  }
  Session session(boot.value(), std::nullopt);
  auto booted = session.run();
  if (booted.is_error()) {
    std::fprintf(err, "%s\n", booted.error().format().c_str());
    return 2;
  }
  for (const OutputLines& lines : booted.value()) print_lines(lines, out);
  std::string buffer(kLineBytesMax, '\0');
  for (;;) {
    std::fputs("% ", out);
    std::fflush(out);
    if (std::fgets(buffer.data(), static_cast<int>(buffer.size()), in) == nullptr) break;
    std::string line(buffer.c_str());
    if (!line.empty() && line.back() == '\n') line.pop_back();
    auto typed = script::parse_scenario("<stdin>", "% " + line + "\n");
    if (typed.is_error() || typed.value().inputs.size() != 1) {
      std::fprintf(err, "procsim: cannot type that line\n");
      continue;
    }
    auto shown = session.replay(typed.value().inputs.front());
    if (shown.is_error()) break;  // the login shell has exited
    print_lines(shown.value(), out);
    if (!session.logged_in()) return 0;
  }
  std::fputs("\n", out);
  return 0;
}

}  // namespace procsim::driver
