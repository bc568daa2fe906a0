"""Operations: health and readiness probes, JSON logs with request ids, conditional GET, and
the files crawlers ask for (robots.txt, sitemap.xml)."""
