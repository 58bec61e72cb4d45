#include "marketing_events/fiber/fiber.hpp"

#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace marketing_events::fiber {
namespace {

thread_local Context* running = nullptr;  // NOLINT(*-avoid-non-const-global-variables)

}  // namespace

Context* current() noexcept {
  return running;
}

Scope::Scope(Context& context) noexcept : previous_(running) {
  running = &context;
}

Scope::~Scope() {
  running = previous_;
}

Suspension::Suspension() noexcept : suspended_(running) {
  running = nullptr;
}

Suspension::~Suspension() {
  running = suspended_;
}

bool wait(boost::asio::posix::stream_descriptor& descriptor, Readiness readiness,
          Deadline deadline) {
  auto* context = current();
  if (context == nullptr) {
    return false;
  }
  const Yield yield = context->yield();
  // The timer's handler may run after this function has returned (once cancelled): it keeps
  // what it needs alive itself, and does nothing once the wait is over.
  struct Race {
    boost::asio::posix::stream_descriptor* descriptor;
    bool waiting = true;
    bool timed_out = false;
  };
  auto race = std::make_shared<Race>(Race{&descriptor});
  boost::asio::steady_timer timer{context->executor(), deadline};
  timer.async_wait([race](const boost::system::error_code& error) {
    if (!error && race->waiting) {
      race->timed_out = true;
      race->descriptor->cancel();
    }
  });
  boost::system::error_code error;
  {
    const Suspension suspension;
    descriptor.async_wait(readiness == Readiness::readable
                              ? boost::asio::posix::stream_descriptor::wait_read
                              : boost::asio::posix::stream_descriptor::wait_write,
                          yield[error]);
  }
  race->waiting = false;
  timer.cancel();
  return !error && !race->timed_out;
}

}  // namespace marketing_events::fiber
