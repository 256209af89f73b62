// The message buffer as a bounded string: appending past the capacity drops the oldest bytes,
// the way the circular msgbuf overwrites them.
#include "model/kern/msgbuf.h"

#include "sim/base/assert.h"

namespace procsim::kern {

MessageBuffer::MessageBuffer(std::size_t capacity_bytes) : m_capacity(capacity_bytes) {
  PROCSIM_ASSERT(capacity_bytes > 0);
}

void MessageBuffer::append(std::string_view text) {
  if (text.size() >= m_capacity) {
    m_text.assign(text.substr(text.size() - m_capacity));
  } else {
    std::size_t total = m_text.size() + text.size();
    if (total > m_capacity) m_text.erase(0, total - m_capacity);
    m_text.append(text);
  }
  PROCSIM_ASSERT(m_text.size() <= m_capacity);
}

}  // namespace procsim::kern
