#!/usr/bin/env bash
# The two-minute tour (README). API defaults to the embedded profile's URL.
set -euo pipefail
API=${API:-http://localhost:8080}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@conference.local}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-change-me-please}
json() { curl -sS -H 'content-type: application/json' "$@"; }

# Log in as the admin, make an organizer
ADMIN=$(json -X POST $API/api/auth/login -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .accessToken)
ORG_ID=$(json -X POST $API/api/auth/register -d '{"email":"olga@example.org","password":"correct horse battery","name":"Olga Organizer"}' | jq -r .id)
json -X PATCH $API/api/users/$ORG_ID/role -H "authorization: Bearer $ADMIN" -d '{"role":"organizer"}' | jq -c '{id, role}'
ORG=$(json -X POST $API/api/auth/login -d '{"email":"olga@example.org","password":"correct horse battery"}' | jq -r .accessToken)

# A speaker, an event of two seats, published
SPEAKER=$(json -X POST $API/api/speakers -H "authorization: Bearer $ORG" -d '{"name":"Ada Lovelace","headline":"Analyst","company":"Engines Ltd"}' | jq -r .id)
EVENT=$(json -X POST $API/api/events -H "authorization: Bearer $ORG" -d '{"title":"NodeConf","description":"Talks","venue":"Hall 1","startsAt":"2031-06-01T09:00:00Z","endsAt":"2031-06-01T18:00:00Z","capacity":2}' | jq -r .id)
json -X POST $API/api/events/$EVENT/publish -H "authorization: Bearer $ORG" | jq -c '{status, seatsLeft}'

# A session with that speaker (the session service checks the speaker over gRPC)
json -X POST $API/api/sessions -H "authorization: Bearer $ORG" -d "{\"eventId\":\"$EVENT\",\"title\":\"The Analytical Engine\",\"abstract\":\"\",\"startsAt\":\"2031-06-01T10:00:00Z\",\"endsAt\":\"2031-06-01T11:00:00Z\",\"room\":\"A\",\"speakerIds\":[\"$SPEAKER\"]}" | jq -c '{id, title}'
sleep 1
json $API/api/events/$EVENT/schedule | jq -c '[.sessions[] | {title, room}]'   # arrived by message

# Three attendees enroll in two seats: two enrolled, one waitlisted
for who in ann bob cid; do
  json -X POST $API/api/auth/register -d "{\"email\":\"$who@example.org\",\"password\":\"correct horse battery\",\"name\":\"$who\"}" > /dev/null
  TOKEN=$(json -X POST $API/api/auth/login -d "{\"email\":\"$who@example.org\",\"password\":\"correct horse battery\"}" | jq -r .accessToken)
  eval "TOKEN_$who=$TOKEN"
  json -X POST $API/api/users/me/enrollments -H "authorization: Bearer $TOKEN" -d "{\"eventId\":\"$EVENT\"}" | jq -c .
  sleep 0.5
done
sleep 1
for who in ann bob cid; do TOKEN_VAR=TOKEN_$who; json $API/api/events/$EVENT/enrollments/me -H "authorization: Bearer ${!TOKEN_VAR}" | jq -c "{who: \"$who\", status, position}"; done

# Ann leaves: Cid is promoted
curl -sS -X DELETE $API/api/users/me/enrollments/$EVENT -H "authorization: Bearer $TOKEN_ann" | jq -c .
sleep 1
json $API/api/events/$EVENT/enrollments/me -H "authorization: Bearer $TOKEN_cid" | jq -c '{who: "cid", status}'
json $API/api/events/$EVENT | jq -c '{title, seatsTaken, seatsLeft}'
json "$API/api/audit?limit=3" -H "authorization: Bearer $ADMIN" | jq -c '[.items[] | .type]'
