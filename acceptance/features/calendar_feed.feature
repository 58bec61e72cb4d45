Feature: Subscribe to my events in a calendar
  As a marketing user
  I want my events in the calendar application I already use
  So that I can plan around them without another tool

  Scenario: Subscribing to my published events
    Given I am an authenticated user
    When I create a calendar feed
    Then I receive a private subscription address, shown only once
    And my feeds are listed without their addresses

  Scenario: A published event appears in my calendar
    Given I am an authenticated user
    And a published event I previously created
    And a calendar feed of mine
    When my calendar application reads the feed
    Then it shows the event with its title, description, start and end, as confirmed

  Scenario: Revoking a calendar feed
    Given I am an authenticated user
    And a calendar feed of mine
    When I revoke the feed
    Then its address reads nothing any more

  Scenario: A draft does not appear in a feed by default
    Given I am an authenticated user
    And a draft event and a published event I previously created
    And a calendar feed created without a status
    When my calendar application reads the feed
    Then the published event is in it and the draft is not

  Scenario: An edit makes calendars replace the event
    Given I am an authenticated user
    And a published event I previously created
    And a calendar feed of mine
    When I edit the event
    Then the feed shows the new details with a higher sequence number
