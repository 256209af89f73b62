// VM objects: allocation, shadowing, collapse, deallocation and the charge an object carries
// to its grave (spec/kernel.md §5.2–5.3).
#include "model/vm/vm_object.h"

#include <doctest/doctest.h>

#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::VmWorld;

TEST_CASE("object ids count up from 1 and are never reused") {
  VmWorld world;
  ObjectId first = world.objects.allocate(ObjectType::OBJT_DEFAULT, 1);
  ObjectId second = world.objects.allocate(ObjectType::OBJT_DEFAULT, 1);
  CHECK(first == ObjectId(1));
  CHECK(second == ObjectId(2));
  world.objects.deallocate(first);
  CHECK_FALSE(world.objects.exists(first));
  CHECK(world.objects.allocate(ObjectType::OBJT_DEFAULT, 1) == ObjectId(3));
}

TEST_CASE("anonymous objects start with one reference and OBJ_ONEMAPPING") {
  VmWorld world;
  const VmObject& object = world.objects.get(world.objects.allocate(ObjectType::OBJT_DEFAULT, 4));
  CHECK(object.ref_count == 1);
  CHECK(object.flags == OBJ_ONEMAPPING);
  CHECK(object.size_pages == 4);
}

TEST_CASE("shadowing an unshared anonymous object is skipped") {
  VmWorld world;
  std::optional<ObjectId> object = world.objects.allocate(ObjectType::OBJT_DEFAULT, 2);
  std::uint64_t offset = 0;
  ObjectId before = *object;
  world.objects.shadow(object, offset, 2 * kPageSize);
  CHECK(*object == before);
  CHECK(world.objects.object_count() == 1);
}

TEST_CASE("shadowing a shared object makes a new default object backed at the old offset") {
  VmWorld world;
  ObjectId source = world.objects.allocate(ObjectType::OBJT_DEFAULT, 4);
  world.objects.reference(source);  // a second mapping
  std::optional<ObjectId> object = source;
  std::uint64_t offset = 2 * kPageSize;
  world.objects.shadow(object, offset, 2 * kPageSize);
  REQUIRE(*object != source);
  const VmObject& shadow = world.objects.get(*object);
  CHECK(offset == 0);
  CHECK(shadow.backing_object == source);
  CHECK(shadow.backing_object_offset == 2 * kPageSize);
  CHECK(shadow.size_pages == 2);
  CHECK(world.objects.get(source).shadow_count() == 1);
  CHECK(world.objects.get(source).ref_count == 2);  // the mapping's reference moved, not added
  world.objects.check_invariants();
}

TEST_CASE("a vnode object survives its last mapping and keeps its pages") {
  VmWorld world;
  ObjectId file = world.file("/bin/x", std::string(5000, 'x'));
  CHECK(world.objects.get(file).size_pages == 2);
  CHECK(world.objects.get(file).ref_count == 0);
  world.objects.reference(file);
  Page& page = world.objects.allocate_page(file, 1);
  CHECK(page.bytes[0] == 'x');
  CHECK(page.bytes[903] == 'x');
  CHECK(page.bytes[904] == 0);  // past end of file
  world.objects.deallocate(file);
  CHECK(world.objects.exists(file));
  CHECK(world.objects.get(file).resident_page_count() == 1);
}

TEST_CASE("deallocating the last reference to a shadow releases the backing reference too") {
  VmWorld world;
  ObjectId base_object = world.objects.allocate(ObjectType::OBJT_DEFAULT, 1);
  world.objects.reference(base_object);
  std::optional<ObjectId> top = base_object;
  std::uint64_t offset = 0;
  world.objects.shadow(top, offset, kPageSize);
  world.objects.deallocate(*top);
  CHECK_FALSE(world.objects.exists(*top));
  CHECK(world.objects.get(base_object).ref_count == 1);
  CHECK(world.objects.get(base_object).shadow_count() == 0);
  CHECK((world.objects.get(base_object).flags & OBJ_ONEMAPPING) != 0);
}

TEST_CASE("when the other mapping goes, the backing object collapses into its only shadow") {
  VmWorld world;
  ObjectId base_object = world.objects.allocate(ObjectType::OBJT_DEFAULT, 2);
  world.objects.allocate_page(base_object, 0).bytes[0] = 'b';
  world.objects.allocate_page(base_object, 1).bytes[0] = 'B';
  world.objects.reference(base_object);  // parent and child both map it
  std::optional<ObjectId> child = base_object;
  std::uint64_t offset = 0;
  world.objects.shadow(child, offset, 2 * kPageSize);
  world.objects.allocate_page(*child, 0).bytes[0] = 'c';  // the child's own copy of page 0
  world.objects.deallocate(base_object);                  // the parent exits
  CHECK_FALSE(world.objects.exists(base_object));
  const VmObject& survivor = world.objects.get(*child);
  CHECK_FALSE(survivor.backing_object.has_value());
  CHECK(survivor.resident_page_count() == 2);
  CHECK(world.objects.lookup_page(*child, 0)->bytes[0] == 'c');  // shadowed page wins
  CHECK(world.objects.lookup_page(*child, 1)->bytes[0] == 'B');  // unshadowed page moved up
  world.objects.check_invariants();
}

TEST_CASE("destroying a charged object releases its charge to its uid") {
  VmWorld world;
  auto caller = procsim::vm::test::user(1001, 10);
  REQUIRE(world.swap.reserve(3 * kPageSize, caller));
  ObjectId object = world.objects.allocate(ObjectType::OBJT_DEFAULT, 3);
  world.objects.set_charge(object, Uid(1001), 3 * kPageSize);
  world.objects.deallocate(object);
  CHECK(world.charged(1001) == 0);
  CHECK(world.swap.reserved_bytes() == 0);
}

TEST_CASE("splitting a shared object hands the entry's share of pages and charge to a new one") {
  VmWorld world;
  ObjectId object = world.objects.allocate(ObjectType::OBJT_DEFAULT, 4);
  world.objects.set_charge(object, Uid(1001), 4 * kPageSize);
  world.objects.allocate_page(object, 1).bytes[0] = 'x';
  world.objects.allocate_page(object, 3).bytes[0] = 'y';
  world.objects.reference(object);  // two entries map parts of it
  ObjectId split = world.objects.split(object, 2 * kPageSize, 2);
  REQUIRE(split != object);
  CHECK(world.objects.get(split).charge_bytes == 2 * kPageSize);
  CHECK(world.objects.get(object).charge_bytes == 2 * kPageSize);
  CHECK(world.objects.lookup_page(split, 1)->bytes[0] == 'y');
  CHECK(world.objects.lookup_page(object, 1)->bytes[0] == 'x');
  CHECK(world.objects.get(object).ref_count == 1);
}
