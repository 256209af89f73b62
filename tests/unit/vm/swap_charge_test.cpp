// Where swap charges are made, moved and released (spec/kernel.md §5.3 table): mmap, the first
// fault, fork, the first write after fork, mprotect, munmap and object destruction, with the
// per-uid totals checked at every step, and refusals under vm.overcommit 0x1 and 0x2.
#include <doctest/doctest.h>

#include "model/vm/vm_mmap.h"
#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::root;
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;
using procsim::vm::test::write_string;

namespace {

constexpr Prot kRw = VM_PROT_READ | VM_PROT_WRITE;

procsim::base::Result<VmOffset, VmErrno> map_anon(VmMap& map, VmOffset addr, std::uint64_t len,
                                                  Prot prot, const Caller& caller) {
  MmapArgs args;
  args.addr = addr;
  args.len = len;
  args.prot = prot;
  args.flags = kMapAnon | kMapPrivate | kMapFixed;
  return sys_mmap(map, args, caller);
}

}  // namespace

TEST_CASE("charges follow mmap, first fault, fork, first write after fork and munmap") {
  VmWorld world;
  auto parent = world.new_map();
  auto owner = user(1001, 10);
  REQUIRE(map_anon(*parent, 0x10000, 0x2000, kRw, owner).ok());
  CHECK(parent->entries()[0].charge_uid == Uid(1001));  // insert: the entry is charged
  CHECK(world.charged(1001) == 8192);

  REQUIRE(write_string(*parent, 0x10000, "p", owner));  // object created: charge moves to it
  const MapEntry& before_fork = parent->entries()[0];
  CHECK_FALSE(before_fork.charge_uid.has_value());
  ObjectId shared = *before_fork.object;
  CHECK(world.objects.get(shared).charge_uid == Uid(1001));
  CHECK(world.objects.get(shared).charge_bytes == 8192);
  CHECK(world.charged(1001) == 8192);

  // fork: both sides get a fresh charge in the forking thread's name (fork charge 2 * 8192).
  auto forked = parent->fork(owner);
  REQUIRE(forked.ok());
  VmMap& child = *forked.value();
  CHECK(parent->entries()[0].charge_uid == Uid(1001));
  CHECK(child.entries()[0].charge_uid == Uid(1001));
  CHECK(world.charged(1001) == 3 * 8192);

  // The child's first write: its entry charge moves onto its new shadow object.
  auto child_caller = user(1001, 11);
  REQUIRE(write_string(child, 0x11000, "c", child_caller));
  const MapEntry& child_entry = child.entries()[0];
  CHECK_FALSE(child_entry.charge_uid.has_value());
  CHECK(world.objects.get(*child_entry.object).charge_uid == Uid(1001));
  CHECK(world.charged(1001) == 3 * 8192);

  // munmap in the child: its shadow object dies and releases its charge.
  REQUIRE(sys_munmap(child, 0x10000, 0x2000).ok());
  CHECK(world.charged(1001) == 2 * 8192);
  CHECK(world.objects.get(shared).ref_count == 1);
  CHECK(world.objects.get(shared).shadow_count() == 0);

  // munmap in the parent: the entry charge and then the object's charge go.
  REQUIRE(sys_munmap(*parent, 0x10000, 0x2000).ok());
  CHECK(world.charged(1001) == 0);
  CHECK(world.swap.reserved_bytes() == 0);
  CHECK_FALSE(world.objects.exists(shared));
}

TEST_CASE("the fork charge goes to the forking thread's real uid") {
  VmWorld world;
  auto parent = world.new_map();
  REQUIRE(map_anon(*parent, 0x10000, 0x1000, kRw, user(1001, 10)).ok());
  auto forked = parent->fork(user(2002, 10));  // e.g. after setuid
  REQUIRE(forked.ok());
  CHECK(world.charged(1001) == 4096);
  CHECK(world.charged(2002) == 4096);  // an object-less entry: only the child is charged
  CHECK(forked.value()->entries()[0].charge_uid == Uid(2002));
  CHECK_FALSE(forked.value()->entries()[0].needs_copy());  // no object, nothing to copy
}

TEST_CASE("read-only, shared-file and ACC_NO_CHARGE mappings are not charged") {
  VmWorld world;
  auto map = world.new_map();
  auto owner = user(1001, 10);
  REQUIRE(map_anon(*map, 0x10000, 0x2000, VM_PROT_READ, owner).ok());
  ObjectId file = world.file("/data/shared", std::string(4096, 's'));
  MmapArgs args;
  args.addr = 0x20000;
  args.len = 0x1000;
  args.prot = kRw;
  args.flags = kMapShared | kMapFixed;
  args.object = file;
  REQUIRE(sys_mmap(*map, args, owner).ok());
  REQUIRE(map->insert(std::nullopt, 0, 0x30000, 0x31000, kRw, VM_PROT_ALL, MAP_ACC_NO_CHARGE,
                      owner) == KernReturn::KERN_SUCCESS);
  CHECK(world.charged(1001) == 0);
  for (const MapEntry& entry : map->entries()) CHECK_FALSE(entry.charge_uid.has_value());
}

TEST_CASE("mprotect adding write charges the entry, or the whole anonymous object once") {
  VmWorld world;
  auto map = world.new_map();
  auto owner = user(1001, 10);
  REQUIRE(map_anon(*map, 0x10000, 0x2000, VM_PROT_READ, owner).ok());
  REQUIRE(sys_mprotect(*map, 0x10000, 0x2000, kRw, owner).ok());
  CHECK(map->entries()[0].charge_uid == Uid(1001));
  CHECK(world.charged(1001) == 8192);

  REQUIRE(map_anon(*map, 0x40000, 0x4000, VM_PROT_READ, owner).ok());
  std::uint8_t byte = 0;
  REQUIRE(read_user(*map, 0x40000, {&byte, 1}, owner).ok());  // gives the entry its object
  REQUIRE(sys_mprotect(*map, 0x40000, 0x2000, kRw, owner).ok());
  CHECK(world.charged(1001) == 8192 + 16384);  // ptoa(object size), not the entry's size
  REQUIRE(sys_mprotect(*map, 0x42000, 0x2000, kRw, owner).ok());
  CHECK(world.charged(1001) == 8192 + 16384);  // the object already carries the charge
}

TEST_CASE("RLIMIT_SWAP (overcommit 0x2) refuses new charges: mmap EINVAL, break and mprotect ENOMEM") {
  VmWorld world({.overcommit = SWAP_RESERVE_RLIMIT_ON});
  auto map = world.new_map();
  Caller owner = user(1001, 10);
  owner.rlimit_swap_cur = 8192;
  REQUIRE(map_anon(*map, 0x10000, 0x2000, kRw, owner).ok());
  CHECK(world.charged(1001) == 8192);
  // 8.3 vm_mmap() has no ENOMEM arm for KERN_RESOURCE_SHORTAGE.
  CHECK(map_anon(*map, 0x20000, 0x1000, kRw, owner).error() == VmErrno::Einval);
  REQUIRE(map_anon(*map, 0x30000, 0x1000, VM_PROT_READ, owner).ok());
  CHECK(sys_mprotect(*map, 0x30000, 0x1000, kRw, owner).error() == VmErrno::Enomem);
  map->vmspace().daddr = 0x600000;
  CHECK(sys_obreak(*map, 0x601000, kRlimInfinity, owner).error() == VmErrno::Enomem);
  CHECK(world.charged(1001) == 8192);
  CHECK(world.swap.reserved_bytes() == 8192);
  REQUIRE_FALSE(world.console.empty());
  CHECK(world.console[0] == "uid 10, pid 1001: swap reservation for 4096 bytes failed\n");
  CHECK(world.console.size() == 1);  // the same tick: rate-limited
}

TEST_CASE("the global limit (overcommit 0x1) refuses everyone but root") {
  VmWorld world({.swap_total_bytes = 16384, .overcommit = SWAP_RESERVE_FORCE_ON});
  auto map = world.new_map();
  auto owner = user(1001, 10);
  REQUIRE(map_anon(*map, 0x10000, 0x4000, kRw, owner).ok());
  CHECK(map_anon(*map, 0x20000, 0x1000, kRw, owner).error() == VmErrno::Einval);
  map->vmspace().daddr = 0x600000;
  CHECK(sys_obreak(*map, 0x601000, kRlimInfinity, owner).error() == VmErrno::Enomem);
  REQUIRE(map_anon(*map, 0x30000, 0x1000, kRw, root(1)).ok());
  CHECK(world.swap.reserved_bytes() == 20480);
  CHECK(world.charged(0) == 4096);
}

TEST_CASE("a refused fork charge is ENOMEM, forced first so the books still balance") {
  VmWorld world({.overcommit = SWAP_RESERVE_RLIMIT_ON});
  auto parent = world.new_map();
  Caller owner = user(1001, 10);
  owner.rlimit_swap_cur = 16384;
  REQUIRE(map_anon(*parent, 0x10000, 0x2000, kRw, owner).ok());
  REQUIRE(write_string(*parent, 0x10000, "p", owner));
  auto forked = parent->fork(owner);
  REQUIRE(forked.is_error());
  CHECK(forked.error() == VmErrno::Enomem);
  // What remains: the object's charge and the parent entry's fresh one.
  CHECK(world.charged(1001) == 16384);
  CHECK(parent->entries()[0].charge_uid == Uid(1001));
  CHECK(parent->entries()[0].needs_copy());
  REQUIRE(sys_munmap(*parent, 0x10000, 0x2000).ok());
  CHECK(world.charged(1001) == 0);
}
