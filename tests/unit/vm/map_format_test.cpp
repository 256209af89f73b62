// procfs map lines (spec/procfs.md §3.2): the three formats from hand-built columns, and the
// columns gathered from a real map before and after fork and a copy-on-write.
#include "model/vm/map_format.h"

#include <doctest/doctest.h>

#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;
using procsim::vm::test::write_string;

namespace {

constexpr Prot kRw = VM_PROT_READ | VM_PROT_WRITE;
constexpr Prot kRx = VM_PROT_READ | VM_PROT_EXECUTE;

MapLineColumns spec_text_line() {
  MapLineColumns columns;
  columns.start = 0x400000;
  columns.end = 0x40b000;
  columns.resident = 9;
  columns.object_address = 0xfffffe0003a1c000ULL;
  columns.protection = kRx;
  columns.ref_count = 2;
  columns.shadow_count = 1;
  columns.flags = 0x1000;
  columns.cow = true;
  columns.needs_copy = true;
  columns.type = "vnode";
  columns.path = "/bin/sh";
  return columns;
}

}  // namespace

TEST_CASE("the 2009 format has fifteen tokens ending in the charge columns") {
  CHECK(format_map_line(spec_text_line(), MapFormat::C2_2009) ==
        "0x400000 0x40b000 9 0 0xfffffe0003a1c000 r-x 2 1 0x1000 COW NC vnode /bin/sh NCH -1\n");
  MapLineColumns data;
  data.start = 0x60a000;
  data.end = 0x60c000;
  data.resident = 2;
  data.private_resident = 2;
  data.object_address = 0xfffffe0003b2e500ULL;
  data.protection = kRw;
  data.ref_count = 1;
  data.flags = 0x3100;
  data.cow = true;
  data.type = "default";
  data.path = "-";
  data.charged = true;
  data.charge_uid = 1001;
  CHECK(format_map_line(data, MapFormat::C2_2009) ==
        "0x60a000 0x60c000 2 2 0xfffffe0003b2e500 rw- 1 0 0x3100 COW NNC default - CH 1001\n");
}

TEST_CASE("the pre-2009 format stops at the path and the B2 guess before it") {
  CHECK(format_map_line(spec_text_line(), MapFormat::C1_Pre2009) ==
        "0x400000 0x40b000 9 0 0xfffffe0003a1c000 r-x 2 1 0x1000 COW NC vnode /bin/sh\n");
  CHECK(format_map_line(spec_text_line(), MapFormat::B2_Guess) ==
        "0x400000 0x40b000 9 0 0xfffffe0003a1c000 r-x 2 1 0x1000 COW NC vnode\n");
}

TEST_CASE("a NULL object prints as a bare 0 and flags 0 as 0x0") {
  MapLineColumns columns;
  columns.start = 0x10000;
  columns.end = 0x11000;
  columns.protection = VM_PROT_NONE;
  columns.type = "none";
  columns.path = "-";
  CHECK(format_map_line(columns, MapFormat::C2_2009) ==
        "0x10000 0x11000 0 0 0 --- 0 0 0x0 NCOW NNC none - NCH -1\n");
}

TEST_CASE("type names follow the 8.3 switch") {
  CHECK(map_type_name(ObjectType::OBJT_DEFAULT) == "default");
  CHECK(map_type_name(ObjectType::OBJT_SWAP) == "swap");
  CHECK(map_type_name(ObjectType::OBJT_VNODE) == "vnode");
  CHECK(map_type_name(ObjectType::OBJT_DEVICE) == "device");
  CHECK(map_type_name(ObjectType::OBJT_PHYS) == "default");
  CHECK(map_type_name(ObjectType::OBJT_DEAD) == "default");
  CHECK(map_type_name(ObjectType::OBJT_SG) == "device");
}

TEST_CASE("map lines of a small image, before and after fork and a copy-on-write") {
  VmWorld world;
  auto caller = user(1001, 10);
  ObjectId file = world.file("/bin/sh", std::string(8192, 'T'));  // object 1
  auto parent = world.new_map();
  world.objects.reference(file);
  REQUIRE(parent->insert(file, 0, 0x400000, 0x402000, kRx, VM_PROT_ALL,
                         MAP_COPY_ON_WRITE | MAP_PREFAULT, caller) == KernReturn::KERN_SUCCESS);
  REQUIRE(parent->insert(std::nullopt, 0, 0x600000, 0x602000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(parent->insert(std::nullopt, 0, 0x800000, 0x801000, VM_PROT_READ, VM_PROT_ALL, 0,
                         caller) == KernReturn::KERN_SUCCESS);
  REQUIRE(write_string(*parent, 0x600000, "d", caller));  // object 2
  std::uint8_t byte = 0;
  REQUIRE(read_user(*parent, 0x400000, {&byte, 1}, caller).ok());
  MapFormatOptions options;
  CHECK(format_map(*parent, options) ==
        "0x400000 0x402000 1 0 0xfffffe0000000100 r-x 1 0 0x1000 COW NC vnode /bin/sh NCH -1\n"
        "0x600000 0x602000 1 0 0xfffffe0000000200 rw- 1 0 0x3100 NCOW NNC default - CH 1001\n"
        "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none - NCH -1\n");

  auto forked = parent->fork(caller);
  REQUIRE(forked.ok());
  VmMap& child = *forked.value();
  std::string after_fork =
      "0x400000 0x402000 1 0 0xfffffe0000000100 r-x 2 0 0x1000 COW NC vnode /bin/sh NCH -1\n"
      "0x600000 0x602000 1 0 0xfffffe0000000200 rw- 2 0 0x1100 COW NC default - CH 1001\n"
      "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none - NCH -1\n";
  CHECK(format_map(*parent, options) == after_fork);
  CHECK(format_map(child, options) == after_fork);  // pmap_copy gave the child the same pages

  REQUIRE(write_string(child, 0x600000, "c", caller));  // object 3 shadows object 2
  CHECK(format_map(child, options) ==
        "0x400000 0x402000 1 0 0xfffffe0000000100 r-x 2 0 0x1000 COW NC vnode /bin/sh NCH -1\n"
        "0x600000 0x602000 1 0 0xfffffe0000000300 rw- 1 0 0x3100 COW NNC default - CH 1001\n"
        "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none - NCH -1\n");
  // 8.3 counts the top object's pages as private when it has exactly one shadow.
  CHECK(format_map(*parent, options) ==
        "0x400000 0x402000 1 0 0xfffffe0000000100 r-x 2 0 0x1000 COW NC vnode /bin/sh NCH -1\n"
        "0x600000 0x602000 1 1 0xfffffe0000000200 rw- 2 1 0x1100 COW NC default - CH 1001\n"
        "0x800000 0x801000 0 0 0 r-- 0 0 0x0 NCOW NNC none - NCH -1\n");
}

TEST_CASE("a 32-bit reader of a 64-bit kernel sees NULL objects; unnamed vnodes show -") {
  VmWorld world;
  auto caller = user(1001, 10);
  ObjectId file = world.file("", std::string(4096, 'x'));
  auto map = world.new_map();
  world.objects.reference(file);
  REQUIRE(map->insert(file, 0, 0x400000, 0x401000, VM_PROT_READ, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  MapFormatOptions options;
  options.hide_object_address = true;
  options.format = MapFormat::C1_Pre2009;
  CHECK(format_map(*map, options) == "0x400000 0x401000 0 0 0 r-- 1 0 0x0 NCOW NNC vnode -\n");
}
