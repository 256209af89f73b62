// The machine a scenario boots; see machine.h.
#include "model/system/machine.h"

#include <algorithm>

#include "sim/base/assert.h"

namespace procsim::system {

namespace {

sim::EngineConfig engine_config(const MachineConfig& config) {
  sim::EngineConfig engine;
  engine.seed = config.seed;
  engine.hz = config.hz;
  engine.epoch_seconds = config.epoch_seconds;
  engine.chooser_mode = config.seeded_choices ? sim::ChooserMode::Seeded : sim::ChooserMode::First;
  return engine;
}

}  // namespace

const ProfileInfo& profile_info(Profile profile) {
  for (const auto& info : kProfiles) {
    if (info.profile == profile) return info;
  }
  PROCSIM_UNREACHABLE();
}

Machine::Machine(MachineConfig config) : m_config(std::move(config)), m_engine(engine_config(m_config)) {
  PROCSIM_ASSERT(m_config.hz > 0);
}

void Machine::run_tick(sim::Tick) {
  // Only called when has_runnable_work() is true, which it never is without processes.
  PROCSIM_UNREACHABLE();
}

std::optional<AccountError> Machine::add_group(Group group) {
  for (const auto& existing : m_groups) {
    if (existing.name == group.name) return AccountError::DuplicateName;
    if (existing.gid == group.gid) return AccountError::DuplicateId;
  }
  m_groups.push_back(std::move(group));
  return std::nullopt;
}

std::optional<AccountError> Machine::add_user(User user) {
  for (const auto& existing : m_users) {
    if (existing.name == user.name) return AccountError::DuplicateName;
    if (existing.uid == user.uid) return AccountError::DuplicateId;
  }
  m_users.push_back(std::move(user));
  return std::nullopt;
}

const Group* Machine::find_group(std::string_view name) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.name == name; });
  return it == m_groups.end() ? nullptr : &*it;
}

const Group* Machine::find_group_by_id(std::uint32_t gid) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.gid == gid; });
  return it == m_groups.end() ? nullptr : &*it;
}

const User* Machine::find_user(std::string_view name) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.name == name; });
  return it == m_users.end() ? nullptr : &*it;
}

const User* Machine::find_user_by_id(std::uint32_t uid) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.uid == uid; });
  return it == m_users.end() ? nullptr : &*it;
}

}  // namespace procsim::system
