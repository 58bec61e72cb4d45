Feature: What users try beyond the happy path
  The project's own scenarios, next to the user's stories: what a demanding user would try.

  Scenario: Registering twice with the same e-mail
    Given I registered as "ana@example.com"
    When I register again as " ANA@example.com "
    Then I am told the e-mail is already in use

  Scenario: Creating an event with invalid details
    Given I am an authenticated user
    When I send a request to create an event with a blank title, an unknown status and an end before its start
    Then I am told every invalid field at once
    And no event is created

  Scenario: Reaching another user's event
    Given another user created an event
    And I am an authenticated user
    When I try to retrieve, update or delete that event
    Then it is not found for me
    And it is unchanged for its owner

  Scenario: Updating an event with a stale version
    Given I am an authenticated user
    And an existing event I previously created and then changed
    When I send an update that expects the version I first read
    Then I am told the event has changed
    And the event keeps its latest details

  Scenario: Reusing a refresh token
    Given I refreshed my token once
    When someone presents the already-used refresh token
    Then the request is refused
    And the newest refresh token of that login is refused too

  Scenario: Requesting a page past the end
    Given there are multiple events
    And I am an authenticated user
    When I request a page beyond the last one
    Then I receive no events
    And the pagination metadata tells the true totals

  Scenario: Requesting a page with invalid parameters
    Given I am an authenticated user
    When I request the events with a limit of 101 and an unknown status
    Then I am told which parameters are invalid

  Scenario: Logging in too often with a wrong password
    Given I am a registered user with valid credentials
    When I send five login requests with a wrong password
    Then my next login is refused for a while, even with the right password

  Scenario: Logging out
    Given I am logged in
    When I log out
    Then my refresh token no longer works
