-- wrk script of the bench (written out by `cg-bench.jar wrk`, not edited by hand).
-- Arguments after "--": the data file (request templates made by the Java tool from the same scenarios as its
-- own load generator) and a seed. Each request is the next template; a template with an event id gets a fresh
-- random one (UUID v4 shape) between its two halves. Results: one JSON file per run, read back by the Java tool.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("ordinal", counter)
  table.insert(threads, thread)
end

-- out and statuses are globals: done() reads them from each thread with thread:get
local data, at, rnd

local function uuid()
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", rnd(0, 65535), rnd(0, 65535), rnd(0, 65535),
    rnd(0, 4095), 32768 + rnd(0, 16383), rnd(0, 65535), rnd(0, 65535), rnd(0, 65535))
end

function init(args)
  data = dofile(args[1])
  out = args[2]
  math.randomseed(tonumber(args[3]) + 7919 * ordinal)
  rnd = math.random
  for _ = 1, 10 do rnd() end
  at = rnd(1, #data.templates)
  statuses = {}
end

function request()
  at = at % #data.templates + 1
  local t = data.templates[at]
  local body = t.pre
  if t.post then body = t.pre .. uuid() .. t.post end
  return wrk.format(data.method, data.path, t.headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do counts[code] = (counts[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  local f = io.open(threads[1]:get("out"), "w")
  f:write(string.format('{"requests":%d,"durationUs":%d,"status":{%s},' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, table.concat(parts, ","), e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    latency.mean))
  f:close()
end
