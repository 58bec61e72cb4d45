#include "deadline.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <utility>

namespace marketing_events::http {

namespace {
constexpr auto never = Deadline::Clock::time_point::max();
}  // namespace

struct Deadline::State {
  State(const boost::asio::any_io_executor& executor, Clock::duration wake_horizon,
        std::function<void()> expiry)
      : timer(executor), horizon(wake_horizon), on_expiry(std::move(expiry)) {}

  boost::asio::steady_timer timer;
  Clock::duration horizon;
  std::function<void()> on_expiry;  // emptied when the Deadline is destroyed
  Clock::time_point deadline = never;
  Clock::time_point wakes_at = never;  // never: no wait pending
  std::size_t generation = 0;          // of the pending wait; an older handler does nothing
  std::size_t waits = 0;
};

Deadline::Deadline(const boost::asio::any_io_executor& executor, Clock::duration horizon,
                   std::function<void()> on_expiry)
    : state_(std::make_shared<State>(executor, horizon, std::move(on_expiry))) {}

Deadline::~Deadline() {
  state_->on_expiry = nullptr;
  try {
    state_->timer.cancel();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the wait then ends by itself, doing nothing
  }
}

void Deadline::expires_after(Clock::duration limit, Clock::time_point now) {
  // A limit beyond the clock's range is none (adding it would overflow).
  state_->deadline = limit < never - now ? now + limit : never;
  if (state_->deadline < state_->wakes_at) {
    arm(state_, now);  // no wait pending, or it would wake too late
  }
}

void Deadline::clear() noexcept {
  state_->deadline = never;  // the pending wait, if any, wakes once and finds nothing to do
}

std::size_t Deadline::timer_waits() const noexcept {
  return state_->waits;
}

void Deadline::arm(const std::shared_ptr<State>& state, Clock::time_point now) {
  state->wakes_at = std::min(state->deadline, now + state->horizon);
  const auto generation = ++state->generation;
  ++state->waits;
  state->timer.expires_at(state->wakes_at);  // a pending wait ends with operation_aborted
  state->timer.async_wait([state, generation](const boost::system::error_code& error) {
    // An error is a cancellation; a stale generation is a wait already replaced (one that had
    // completed when it was re-armed, so expires_at could not cancel it).
    if (!error && generation == state->generation) {
      wake(state);
    }
  });
}

void Deadline::wake(const std::shared_ptr<State>& state) {
  state->wakes_at = never;
  if (!state->on_expiry || state->deadline == never) {
    return;
  }
  const auto now = Clock::now();
  if (now < state->deadline) {
    arm(state, now);  // the deadline moved on since this wait began
    return;
  }
  state->deadline = never;
  state->on_expiry();
}

}  // namespace marketing_events::http
