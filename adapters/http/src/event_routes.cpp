#include "marketing_events/http/event_routes.hpp"

#include <boost/beast/http/field.hpp>

#include "marketing_events/http/event_json.hpp"
#include "marketing_events/http/headers.hpp"
#include "marketing_events/http/listing.hpp"
#include "marketing_events/http/listing_cursor.hpp"
#include "marketing_events/http/request_body.hpp"

namespace marketing_events::http {
namespace {

using boost::beast::http::field;
using boost::beast::http::verb;

constexpr std::string_view events_path = "/api/v1/events";

Response event_response(const Request& request, Status status, const Event& event) {
  auto response = respond(request, status, event_json(event));
  response.set(field::etag, entity_tag(event.version));
  return response;
}

// A use case's event as the response, or its error as the problem.
Reply answer(const Call& call, const Result<Event>& event) {
  if (!event) {
    return problem_for(event.error());
  }
  return event_response(call.request, Status::ok, *event);
}

VersionCondition if_match(const Request& request) {
  const auto found = request.find(field::if_match);
  if (found == request.end()) {
    return {};
  }
  return version_condition(std::string_view{found->value().data(), found->value().size()});
}

Reply create(EventService& events, const Call& call) {
  auto input = read_body(call.request, event_input_from_json);
  if (!input) {
    return std::move(input).error();
  }
  auto event = events.create(call.user(), *input);
  if (!event) {
    return problem_for(event.error());
  }
  auto response = event_response(call.request, Status::created, *event);
  response.set(field::location, std::string(events_path) + "/" + event->id.to_string());
  return response;
}

// The handlers of /api/v1/events/{id} get the parsed id.
Reply get(EventService& events, const Call& call, const EventId& id) {
  return answer(call, events.get(call.user(), id));
}

Reply replace(EventService& events, const Call& call, const EventId& id) {
  auto input = read_body(call.request, event_input_from_json);
  if (!input) {
    return std::move(input).error();
  }
  return answer(call, events.replace(call.user(), id, *input, if_match(call.request)));
}

Reply patch(EventService& events, const Call& call, const EventId& id) {
  auto patch = read_body(call.request, event_patch_from_json, BodyType::json_or_merge_patch);
  if (!patch) {
    return std::move(patch).error();
  }
  return answer(call, events.patch(call.user(), id, *patch, if_match(call.request)));
}

Reply remove(EventService& events, const Call& call, const EventId& id) {
  if (auto removed = events.remove(call.user(), id, if_match(call.request)); !removed) {
    return problem_for(removed.error());
  }
  return respond(call.request, Status::no_content);
}

Reply list(EventService& events, const ListingCursors& cursors, const Call& call) {
  const auto parameters = list_parameters_from_query(call.query);
  if (!parameters) {
    return problem_for(parameters.error());
  }
  auto query = parse_event_query(*parameters);
  if (!query) {
    return problem_for(query.error());
  }
  if (const auto& cursor = parameters->cursor; cursor && !cursor->empty()) {
    query->after = cursors.read(*cursor, call.user(), *query);
    if (!query->after) {
      return problem_for(Error::invalid(
          ErrorCode::invalid_parameters,
          {{"cursor",
            "is not a cursor of this listing: it was changed, or it belongs to another user, "
            "sort or filter; start the walk again without it (or with an empty cursor)"}}));
    }
  }
  auto page = events.list(call.user(), *query);
  if (!page) {
    return problem_for(page.error());
  }
  std::optional<std::string> next_cursor;
  if (page->next) {
    next_cursor = cursors.issue(call.user(), *query, *page->next);
  }
  auto response = respond(call.request, Status::ok, page_json(*page, next_cursor));
  response.set(field::link, page->paging == Paging::numbered
                                ? page_links(events_path, *query, page->total_pages)
                                : walk_links(events_path, *query, next_cursor));
  return response;
}

}  // namespace

std::vector<Route> event_routes(EventService& events, const ListingCursors& cursors) {
  const auto with = [&events](Reply (*handler)(EventService&, const Call&)) {
    return [&events, handler](const Call& call) { return handler(events, call); };
  };
  // The {id} parsed first; a malformed id names no event, so it is a 404 like an unknown one.
  const auto with_id = [&events](Reply (*handler)(EventService&, const Call&, const EventId&)) {
    return [&events, handler](const Call& call) -> Reply {
      const auto id = Uuid::parse(call.captures.at(0));
      if (!id) {
        return unknown_route("malformed event id");
      }
      return handler(events, call, *id);
    };
  };
  const std::string one_event = std::string(events_path) + "/{id}";
  return {
      {verb::post, std::string(events_path), Access::signed_in, Runs::fiber, with(create)},
      {verb::get, std::string(events_path), Access::signed_in, Runs::fiber,
       [&events, cursors](const Call& call) { return list(events, cursors, call); }},
      {verb::get, one_event, Access::signed_in, Runs::fiber, with_id(get)},
      {verb::put, one_event, Access::signed_in, Runs::fiber, with_id(replace)},
      {verb::patch, one_event, Access::signed_in, Runs::fiber, with_id(patch)},
      {verb::delete_, one_event, Access::signed_in, Runs::fiber, with_id(remove)},
  };
}

}  // namespace marketing_events::http
