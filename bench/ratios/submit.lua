-- wrk script: POST /api/automations/form2json/submit as the signed-in bench admin (bench/ratios.sh).
-- RATIOS_COOKIE: the session cookie header value; RATIOS_CSRF: the session's CSRF token (bench/ratios/login.sh).
-- No Idempotency-Key: each request is a new submission (a key costs one more SELECT; see bench/README.md).
wrk.method = "POST"
wrk.path = "/api/automations/form2json/submit"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = os.getenv("RATIOS_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("RATIOS_CSRF")
wrk.body = '{"nome":"Maria da Silva","email":"maria@agepar.pr.gov.br","departamento":"DAF","prioridade":"alta",'
  .. '"data":"05/03/2026","aceitaTermos":true,"itens":[{"descricao":"Cadeira","quantidade":"2"}]}'

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
