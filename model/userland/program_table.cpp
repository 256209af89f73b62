// The table of installed programs; see program_table.h.
#include "model/userland/program_table.h"

#include "model/userland/programs.h"
#include "sim/base/assert.h"

namespace procsim::userland {

const std::array<ProgramRow, 15> kProgramTable = {{
    {"/bin/cat", "cat", cat_main},
    {"/bin/echo", "echo", echo_main},
    {"/bin/kill", "kill", kill_main},
    {"/bin/ls", "ls", ls_main},
    {"/bin/ps", "ps", ps_main},
    {"/bin/sh", "sh", sh_main},
    {"/bin/sleep", "sleep", sleep_main},
    {"/sbin/dmesg", "dmesg", dmesg_main},
    {"/usr/bin/dbg", "dbg", dbg_main},
    {"/usr/bin/env", "env", env_main},
    {"/usr/bin/false", "false", false_main},
    {"/usr/bin/hexdump", "hexdump", hexdump_main},
    {"/usr/bin/id", "id", id_main},
    {"/usr/bin/true", "true", true_main},
    {"/usr/bin/truss", "truss", truss_main},
}};

const ProgramRow* find_program_by_path(std::string_view path) {
  for (const ProgramRow& row : kProgramTable) {
    if (row.path == path) return &row;
  }
  return nullptr;
}

const ProgramRow* find_program_by_name(std::string_view name) {
  for (const ProgramRow& row : kProgramTable) {
    if (row.name == name) return &row;
  }
  return nullptr;
}

std::unique_ptr<kern::Program> make_host_program(const ProgramRow& row, ProgramArgs args) {
  PROCSIM_ASSERT(row.main != nullptr);
  PROCSIM_ASSERT(row.path.ends_with(row.name));
  return std::make_unique<kern::HostProgram>(program_entry(row.main, std::move(args)));
}

std::unique_ptr<kern::Program> make_image_program(const ProgramRow& row) {
  PROCSIM_ASSERT(row.main != nullptr);
  return std::make_unique<kern::HostProgram>(exec_entry(row.main));
}

}  // namespace procsim::userland
