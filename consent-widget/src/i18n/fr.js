// Textes français intégrés ; config.texts.fr d'un site peut remplacer chacun d'eux.
export default {
  title: 'Votre vie privée',
  description: 'Avec votre accord, nous utilisons des cookies et technologies similaires pour mesurer notre '
    + 'audience et améliorer nos services. Vous pouvez tout accepter, tout refuser ou choisir finalité par '
    + 'finalité, et changer d’avis à tout moment via «\u00a0Préférences cookies\u00a0».',
  policy: 'Politique de confidentialité',
  acceptAll: 'Tout accepter',
  refuseAll: 'Tout refuser',
  customise: 'Personnaliser',
  close: 'Fermer et tout refuser',
  prefsTitle: 'Préférences cookies',
  save: 'Enregistrer mes choix',
  back: 'Retour',
  alwaysOn: 'Toujours actif.',
  gpcLocked: 'Refusé\u00a0: votre navigateur envoie le signal Global Privacy Control.',
  purposes: {
    necessary: 'Strictement nécessaires',
    statistics: 'Mesure d’audience',
    prospecting: 'Prospection',
    personalisation: 'Personnalisation',
  },
};
