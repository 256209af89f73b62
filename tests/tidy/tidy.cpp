// procsim's own source checker, run as a CTest test. It enforces what the compiler cannot:
// the include-layering graph of docs/architecture.md, the determinism bans of the style guide
// (no host clocks, no unseeded randomness, no std distributions, Boost.Context only in
// sim/fiber.cpp), and whitespace rules. It reads files as text; it does not parse C++.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

// One row per layer: the folder prefix that identifies it and the layers it may include.
// Longest prefix wins, so "sim/base" is matched before "sim".
struct LayerRule {
  std::string_view layer;
  std::vector<std::string_view> may_include;
};

const std::vector<LayerRule>& layer_rules() {
  static const std::vector<LayerRule> rules = {
      {"sim/base", {}},
      {"sim/script", {"sim/base"}},
      {"sim", {"sim/base"}},
      {"model/machine", {"sim/base"}},
      {"model/vm", {"model/machine", "sim/base"}},
      {"model/vfs", {"model/vm", "model/machine", "sim/base"}},
      {"model/kern", {"model/vfs", "model/vm", "model/machine", "sim", "sim/base"}},
      {"model/procfs", {"model/kern", "model/vfs", "model/vm", "model/machine", "sim", "sim/base"}},
      {"model/userland", {"model/kern", "model/vfs", "model/machine", "sim", "sim/base"}},
      {"model/system",
       {"model/procfs", "model/userland", "model/kern", "model/vfs", "model/vm", "model/machine", "sim",
        "sim/base"}},
      {"model/driver",
       {"model/system", "model/procfs", "model/userland", "model/kern", "model/vfs", "model/vm",
        "model/machine", "sim/script", "sim", "sim/base"}},
      {"tests", {"*"}},
      {"bench", {"*"}},
  };
  return rules;
}

std::string_view layer_of(std::string_view path) {
  std::string_view best;
  for (const auto& rule : layer_rules()) {
    bool matches = path.substr(0, rule.layer.size()) == rule.layer &&
                   (path.size() == rule.layer.size() || path[rule.layer.size()] == '/');
    if (matches && rule.layer.size() > best.size()) best = rule.layer;
  }
  return best;
}

const LayerRule* rule_for(std::string_view layer) {
  for (const auto& rule : layer_rules())
    if (rule.layer == layer) return &rule;
  return nullptr;
}

struct Finding {
  std::string file;
  int line;
  std::string rule;
  std::string message;
};

// Text that must not appear in procsim's own code, with the reason printed on a hit.
struct Ban {
  std::string_view needle;
  std::string_view reason;
};

constexpr std::array kBans = {
    Ban{"std::rand", "unseeded randomness: draw from the engine's Prng"},
    Ban{"srand(", "unseeded randomness: draw from the engine's Prng"},
    Ban{"random_device", "host randomness: draw from the engine's Prng"},
    Ban{"_distribution<", "std distributions differ between standard libraries"},
    Ban{"system_clock", "host clock: use the engine's SimClock"},
    Ban{"steady_clock", "host clock: use the engine's SimClock"},
    Ban{"high_resolution_clock", "host clock: use the engine's SimClock"},
    Ban{"gettimeofday", "host clock: use the engine's SimClock"},
    Ban{"clock_gettime", "host clock: use the engine's SimClock"},
    Ban{"time(nullptr)", "host clock: use the engine's SimClock"},
    Ban{"using namespace std", "name the std:: parts you use"},
};

// Files allowed to contain a banned needle: the benchmark measures host time by design, and the
// system-call table names the simulated kernel's clock_gettime(2), which reads the SimClock.
bool ban_exempt(std::string_view path, std::string_view needle) {
  bool is_clock = needle.find("clock") != std::string_view::npos;
  if (needle == "clock_gettime" && path == "model/kern/syscall_table.cpp") return true;
  return is_clock && path.substr(0, 6) == "bench/";
}

std::string strip_line_comment(const std::string& line) {
  // Good enough for bans: ignore text after // that is not inside a string literal.
  bool in_string = false;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) in_string = !in_string;
    if (!in_string && line[i] == '/' && line[i + 1] == '/') return line.substr(0, i);
  }
  return line;
}

void check_include(const std::string& path, int number, const std::string& line,
                   std::vector<Finding>& findings) {
  auto start = line.find("#include");
  if (start == std::string::npos) return;
  auto open = line.find_first_of("\"<", start);
  if (open == std::string::npos) return;
  char close_char = line[open] == '"' ? '"' : '>';
  auto close = line.find(close_char, open + 1);
  if (close == std::string::npos) return;
  std::string target = line.substr(open + 1, close - open - 1);

  if (target.rfind("boost/context", 0) == 0 && path != "sim/fiber.cpp") {
    findings.push_back({path, number, "fiber-sealed", "only sim/fiber.cpp may include Boost.Context"});
  }
  if (close_char != '"') return;
  std::string_view from = layer_of(path);
  std::string_view to = layer_of(target);
  if (from.empty() || to.empty() || from == to) return;
  const LayerRule* rule = rule_for(from);
  if (rule == nullptr) return;
  bool allowed = std::any_of(rule->may_include.begin(), rule->may_include.end(),
                             [&](std::string_view layer) { return layer == "*" || layer == to; });
  if (!allowed) {
    findings.push_back({path, number, "layering",
                        std::string(from) + " may not include " + std::string(to) + " (" + target + ")"});
  }
}

void check_file(const fs::path& root, const fs::path& file, std::vector<Finding>& findings) {
  std::string path = fs::relative(file, root).generic_string();
  std::ifstream in(file, std::ios::binary);
  std::string line;
  int number = 0;
  bool is_tidy_source = path == "tests/tidy/tidy.cpp";
  while (std::getline(in, line)) {
    ++number;
    if (line.find('\t') != std::string::npos)
      findings.push_back({path, number, "whitespace", "tab character"});
    if (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
      findings.push_back({path, number, "whitespace", "trailing whitespace"});
    if (line.size() > 110) findings.push_back({path, number, "line-length", "longer than 110 columns"});
    check_include(path, number, line, findings);
    if (is_tidy_source) continue;
    std::string code = strip_line_comment(line);
    for (const auto& ban : kBans) {
      if (code.find(ban.needle) != std::string::npos && !ban_exempt(path, ban.needle)) {
        findings.push_back(
            {path, number, "determinism", std::string(ban.needle) + ": " + std::string(ban.reason)});
      }
    }
  }
}

// Every scenario opens with "# Shows that ..." and has a line in scenarios/README.md naming it.
void check_scenarios(const fs::path& root, std::vector<Finding>& findings) {
  fs::path dir = root / "scenarios";
  if (!fs::exists(dir)) return;
  std::string index;
  {
    std::ifstream in(dir / "README.md", std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    index = buffer.str();
  }
  std::vector<fs::path> scenarios;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".scn") scenarios.push_back(entry.path());
  }
  std::sort(scenarios.begin(), scenarios.end());
  for (const auto& file : scenarios) {
    std::string path = fs::relative(file, root).generic_string();
    std::ifstream in(file, std::ios::binary);
    std::string first;
    std::getline(in, first);
    if (first.rfind("# Shows that ", 0) != 0) {
      findings.push_back({path, 1, "scenario-header", "the first line must start with '# Shows that '"});
    }
    std::string entry = "`" + fs::relative(file, dir).generic_string() + "`";
    if (index.find(entry) == std::string::npos) {
      findings.push_back({path, 1, "scenario-index", "not listed in scenarios/README.md as " + entry});
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: procsim_tidy SOURCE_ROOT\n";
    return 2;
  }
  fs::path root = argv[1];
  std::vector<fs::path> files;
  for (std::string_view top : {"sim", "model", "tests", "bench"}) {
    fs::path dir = root / top;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      auto extension = entry.path().extension();
      if (extension == ".h" || extension == ".cpp") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<Finding> findings;
  for (const auto& file : files) check_file(root, file, findings);
  check_scenarios(root, findings);
  for (const auto& finding : findings) {
    std::cout << finding.file << ":" << finding.line << ": " << finding.rule << ": " << finding.message
              << "\n";
  }
  std::cout << "tidy: " << files.size() << " files, " << findings.size() << " findings\n";
  return findings.empty() ? 0 : 1;
}
