"""Chart data: pure series builders and the Jinja macro that draws them with Chart.js."""
