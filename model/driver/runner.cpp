// Replaying scenario files and reporting; see runner.h. A file with an error is never counted as
// passed, and --update never writes a file that has an error.
#include "model/driver/runner.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "model/driver/session.h"
#include "sim/script/diff.h"

namespace procsim::driver {

namespace {

enum class FileOutcome { Passed, Failed, Updated, Error };

struct FileText {
  bool ok = false;
  std::string contents;
  std::string error;
};

FileText read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {false, "", std::strerror(errno)};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return {false, "", "read error"};
  return {true, buffer.str(), ""};
}

bool write_file(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  return static_cast<bool>(out);
}

void print(std::FILE* stream, std::string_view text) { std::fwrite(text.data(), 1, text.size(), stream); }

FileOutcome run_file(const std::string& path, const RunOptions& options, std::FILE* out, std::FILE* err) {
  FileText text = read_file(path);
  if (!text.ok) {
    print(err, fmt::format("procsim: {}: cannot read: {}\n", path, text.error));
    return FileOutcome::Error;
  }
  auto parsed = script::parse_scenario(path, text.contents);
  if (parsed.is_error()) {
    print(err, parsed.error().format() + "\n");
    return FileOutcome::Error;
  }
  const script::Scenario& scenario = parsed.value();
  Session session(scenario, options.seed);
  auto actual = session.run();
  if (actual.is_error()) {
    print(err, actual.error().format() + "\n");
    return FileOutcome::Error;
  }
  std::string rewritten = script::rewrite_scenario(scenario, actual.value());
  if (options.print) print(out, rewritten);
  if (rewritten == text.contents) return FileOutcome::Passed;
  if (options.update) {
    if (!write_file(path, rewritten)) {
      print(err, fmt::format("procsim: {}: cannot write: {}\n", path, std::strerror(errno)));
      return FileOutcome::Error;
    }
    return FileOutcome::Updated;
  }
  print(out,
        script::unified_diff(path + " (expected)", path + " (actual)", script::expected_transcript(scenario),
                             script::actual_transcript(scenario, actual.value())));
  return FileOutcome::Failed;
}

}  // namespace

int run_scenarios(const RunOptions& options, std::FILE* out, std::FILE* err) {
  int passed = 0;
  int failed = 0;
  int errors = 0;
  for (const auto& path : options.files) {
    switch (run_file(path, options, out, err)) {
      case FileOutcome::Passed:
      case FileOutcome::Updated: ++passed; break;
      case FileOutcome::Failed: ++failed; break;
      case FileOutcome::Error: ++errors; break;
    }
  }
  std::string summary = fmt::format("{} passed, {} failed", passed, failed);
  if (errors > 0) summary += fmt::format(", {} {}", errors, errors == 1 ? "error" : "errors");
  print(out, summary + "\n");
  std::fflush(out);
  if (errors > 0) return 2;
  return failed > 0 ? 1 : 0;
}

}  // namespace procsim::driver
