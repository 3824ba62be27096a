// Built-in English texts; a site's config.texts.en may replace any of them.
export default {
  title: 'Your privacy',
  // {controller}: the site's name (the controller), else `controller`; {purposes}: the optional purposes' labels
  description: 'With your consent, {controller} uses cookies and similar technologies for: {purposes}. You can '
    + 'accept, refuse or choose purpose by purpose, and change your mind at any time through "Cookie preferences".',
  controller: 'this site',
  policy: 'Privacy policy',
  acceptAll: 'Accept all',
  refuseAll: 'Refuse all',
  customise: 'Customise',
  close: 'Close and refuse all',
  prefsTitle: 'Cookie preferences',
  save: 'Save my choices',
  back: 'Back',
  alwaysOn: 'Always on.',
  gpcLocked: 'Refused: your browser sends Global Privacy Control.',
  purposes: {
    necessary: 'Strictly necessary',
    statistics: 'Audience statistics',
    prospecting: 'Prospecting',
    personalisation: 'Personalisation',
  },
};
