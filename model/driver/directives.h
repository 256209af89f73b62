// The directive table: every directive a scenario may use, one row each (name, synopsis, handler).
// Row order is the order `procsim help directives` would list them in.
#pragma once

#include <span>
#include <string_view>

#include "model/driver/session.h"
#include "sim/script/directive.h"
#include "sim/script/scenario.h"

namespace procsim::driver {

using DirectiveHandler = script::ScriptResult<void> (*)(Session& session, const script::Directive& directive,
                                                        OutputLines& out);

struct DirectiveSpec {
  std::string_view name;
  std::string_view synopsis;
  DirectiveHandler handler;
};

std::span<const DirectiveSpec> directive_table();

// A `program NAME [arch=A]` ... `end` block: assembled for the machine (or A) and installed as
// the executable /usr/bin/NAME.
script::ScriptResult<void> run_program_block(Session& session, const script::ProgramBlock& block,
                                             OutputLines& out);
const DirectiveSpec* find_directive(std::string_view name);

}  // namespace procsim::driver
