// Word expansion for the sh subset: parameter substitution through a caller-supplied lookup
// ($?, $$, $!, $1, $HOME: the shell owns their values), field splitting of unquoted
// expansions on the default IFS (space, tab, newline), and checking ">&N" targets.
// Leaves out tilde and pathname expansion, IFS assignments, "$@" as separate fields and
// set -u; an unset parameter expands to nothing.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/userland/sh_parse.h"
#include "sim/base/result.h"

namespace procsim::userland {

// Returns the value of a parameter, or nullopt when it is unset.
using ShParameterLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Expands the words of a simple command into argv fields.
std::vector<std::string> expand_sh_words(std::span<const ShWord> words, const ShParameterLookup& lookup);

// Expands a redirection target: substitution without field splitting.
std::string expand_sh_word_unsplit(const ShWord& word, const ShParameterLookup& lookup);

// The target of >& and <&: a descriptor 0-9 or "-" (close).
struct ShDupTarget {
  bool close = false;
  int fd = -1;

  bool operator==(const ShDupTarget&) const = default;
};

// Anything else is sh's error "Bad fd number", which it reports as a syntax error when the
// redirection runs: format it with format_sh_parse_error.
base::Result<ShDupTarget, ShParseError> resolve_sh_dup_target(std::string_view expanded, int line);

}  // namespace procsim::userland
