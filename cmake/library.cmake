# marketing_events_library(TARGET NAME): makes TARGET the installable library
# MarketingEvents::NAME — its alias, its include directory for the build and for an install,
# its headers installed, and the target added to the exported package (install-package.cmake).
function(marketing_events_library target name)
  add_library(MarketingEvents::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME ${target})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(
    ${target} PUBLIC "$<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>"
                     "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  install(DIRECTORY include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
  set_property(GLOBAL APPEND PROPERTY MARKETING_EVENTS_LIBRARIES ${target})
endfunction()
