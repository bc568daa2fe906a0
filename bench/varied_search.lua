-- A different three-word search on each request (6,859 combinations of the data set's words),
-- so a search's cached ranking rarely answers: the cost of searches nobody ran before.
local words = {"trust", "respect", "listening", "boundaries", "feedback", "growth", "honesty",
               "patience", "career", "goals", "confidence", "silence", "reflection", "courage",
               "curiosity", "mentor", "mentee", "promise", "agreement"}
math.randomseed(os.time())
request = function()
  local q = words[math.random(#words)] .. "+" .. words[math.random(#words)] .. "+" .. words[math.random(#words)]
  return wrk.format("GET", "/search?q=" .. q)
end
