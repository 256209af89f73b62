// The programs procsim installs, one row each: the path it lives at, the name a host image
// registers it under, and its main function. The system layer installs a file at each path and
// registers the image with the kernel's exec; row order is installation order.
#pragma once

#include <array>
#include <memory>
#include <string_view>

#include "model/kern/program.h"
#include "model/userland/program_runtime.h"

namespace procsim::userland {

struct ProgramRow {
  std::string_view path;  // where the executable lives (spec/scenario-format.md)
  std::string_view name;  // the host image's name: the last component of the path
  ProgramMain main;
};

extern const std::array<ProgramRow, 15> kProgramTable;

const ProgramRow* find_program_by_path(std::string_view path);
const ProgramRow* find_program_by_name(std::string_view name);

// The user code of a process that runs a row's program with these arguments.
std::unique_ptr<kern::Program> make_host_program(const ProgramRow& row, ProgramArgs args);
// The user code exec installs for a row's image: it finds its arguments on its initial stack.
std::unique_ptr<kern::Program> make_image_program(const ProgramRow& row);

}  // namespace procsim::userland
