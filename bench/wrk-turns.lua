-- An independent load generator for /api/messages (wrk, from Debian's packages):
--   wrk -t2 -c20 -d20s -s bench/wrk-turns.lua http://127.0.0.1:3978/api/messages
-- Each connection plays one customer: a new conversation every few turns, mixed messages, expectReplies.
local texts = {
  "hi", "how long does shipping take?", "where is my order 10435?", "02139", "no",
  "can I pay with paypal?", "yes", "how do I get an invoice?", "blorp zap quux", "thanks, bye",
}
local turn = 0
local id = 0

function setup(thread)
  id = id + 1
  thread:set("thread_id", id)
end

function request()
  turn = turn + 1
  local conversation = string.format("wrk-%d-%d", thread_id or 0, math.floor((turn - 1) / #texts))
  local text = texts[(turn - 1) % #texts + 1]
  local body = string.format(
    '{"type":"message","channelId":"webchat","serviceUrl":"http://127.0.0.1/","from":{"id":"wrk-%s"},'
      .. '"recipient":{"id":"bot"},"conversation":{"id":"%s"},"locale":"en-US","text":"%s","deliveryMode":"expectReplies"}',
    conversation, conversation, text)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function response(status)
  if status ~= 200 then
    io.stderr:write("status " .. status .. "\n")
  end
end
