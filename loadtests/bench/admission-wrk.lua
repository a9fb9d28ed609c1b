-- wrk script of admission.sh and cache.sh: GET the target path with an X-API-Key that rotates over KEYS distinct keys,
-- round robin per request, each thread starting at its own offset. With many keys and few connections no key ever has more than
-- one or two requests in flight, so the per-caller limit (5 at once by default) is never what limits throughput.
-- Nothing is recorded beyond wrk's own counters: no response() callback, which would slow wrk's event loop down.
--
--   wrk -t2 -c32 -d10s --latency -s admission-wrk.lua http://127.0.0.1:8080/sandboxes -- 512 2
--   (after "--": the number of keys, default 512, and wrk's thread count, default 1, to spread the start offsets)

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local requests = {}
local count = 0
local index = 0

function init(args)
  count = tonumber(args[1]) or 512
  if count < 1 then count = 1 end
  -- Requests are formatted once: the per-request work in Lua stays a table lookup.
  for i = 0, count - 1 do
    requests[i] = wrk.format("GET", nil, { ["X-API-Key"] = string.format("bench-key-%04d", i) })
  end
  local threads = tonumber(args[2]) or 1
  if threads < 1 then threads = 1 end
  index = math.floor((tonumber(id) or 0) * count / threads) % count
end

function request()
  local r = requests[index]
  index = (index + 1) % count
  return r
end
