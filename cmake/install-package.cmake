# Installs every library (core and adapters, as marketing_events_library() registered them) and
# a CMake package, so that another program can
#   find_package(MarketingEvents CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE MarketingEvents::core MarketingEvents::postgres)
include(CMakePackageConfigHelpers)

set(MARKETING_EVENTS_PACKAGE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/MarketingEvents")
get_property(marketing_events_libraries GLOBAL PROPERTY MARKETING_EVENTS_LIBRARIES)

install(
  TARGETS ${marketing_events_libraries}
  EXPORT MarketingEventsTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

install(
  EXPORT MarketingEventsTargets
  NAMESPACE MarketingEvents::
  DESTINATION ${MARKETING_EVENTS_PACKAGE_DIR}
  COMPONENT development)

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/MarketingEventsConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/MarketingEventsConfig.cmake"
  INSTALL_DESTINATION ${MARKETING_EVENTS_PACKAGE_DIR})
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/MarketingEventsConfigVersion.cmake" COMPATIBILITY SameMinorVersion)

install(FILES "${PROJECT_BINARY_DIR}/MarketingEventsConfig.cmake"
              "${PROJECT_BINARY_DIR}/MarketingEventsConfigVersion.cmake"
        DESTINATION ${MARKETING_EVENTS_PACKAGE_DIR} COMPONENT development)
