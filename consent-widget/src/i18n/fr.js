// Textes français intégrés ; config.texts.fr d'un site peut remplacer chacun d'eux.
export default {
  title: 'Votre vie privée',
  // {controller} : le nom du site (le responsable du traitement), sinon `controller` ; {purposes} : les finalités
  description: 'Avec votre accord, {controller} utilise des cookies et technologies similaires pour\u00a0: {purposes}. '
    + 'Vous pouvez tout accepter, tout refuser ou choisir finalité par finalité, et changer d’avis à tout moment '
    + 'via «\u00a0Préférences cookies\u00a0».',
  controller: 'ce site',
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
