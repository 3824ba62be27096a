// Placeholder entry: the real banner arrives with the widget issue.
window.ConsentGateway = window.ConsentGateway || {};
