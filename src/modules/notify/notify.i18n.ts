/** The notify module's UI strings, Danish first; merged into the dictionaries in src/web/i18n.ts. */
export const da = {
  'contact.done.preferences': 'Dine valg om besked er gemt.',
  'notify.devOutbox': 'Demo: E-mails og SMS’er bliver ikke sendt rigtigt, men kan ses i',
  'notify.failing.heading': 'Vi kan ikke give dig besked på en af dine kontaktoplysninger',
  'notify.failing.text':
    'En e-mail eller SMS fra os er kommet retur eller blev afvist. Vi bruger ikke oplysningen, før du har bekræftet den igen med en ny kode. Du kan også fjerne den og tilføje en anden.',
  'notify.failingSince': 'Virker ikke siden',
  'notify.settings.heading': 'Besked om ny post',
  'notify.settings.intro':
    'Vi giver dig besked, når du får ny Digital Post – kun med afsenderens navn, aldrig med indholdet. Beskeden går til de oplysninger ovenfor, der er bekræftet.',
  'notify.settings.channels': 'Hvordan vil du have besked?',
  'notify.settings.email': 'På e-mail',
  'notify.settings.sms': 'På SMS (mellem kl. 8 og 21)',
  'notify.settings.noEmail': 'Du har ingen bekræftet e-mailadresse, så der bliver ikke sendt e-mails.',
  'notify.settings.noMobile': 'Du har intet bekræftet mobilnummer, så der bliver ikke sendt SMS’er.',
  'notify.settings.language': 'Sprog i beskederne',
  'notify.settings.language.da': 'Dansk',
  'notify.settings.language.en': 'Engelsk (English)',
  'notify.settings.nemsms': 'NemSMS',
  'notify.settings.nemsms.hint':
    'Med NemSMS kan myndigheder sende dig korte påmindelser på SMS, fx om en tid hos tandlægen. Det kræver et bekræftet mobilnummer.',
  'notify.settings.nemsms.label': 'Ja tak, jeg vil gerne modtage NemSMS',
  'notify.settings.save': 'Gem valg',
} as const;

/** English: exactly the same keys as Danish. */
export const en: Record<keyof typeof da, string> = {
  'contact.done.preferences': 'Your notification choices have been saved.',
  'notify.devOutbox': 'Demo: e-mails and text messages are not really sent, but can be seen in',
  'notify.failing.heading': 'We cannot reach you at one of your contact details',
  'notify.failing.text':
    'An e-mail or text message from us bounced or was refused. We will not use it until you confirm it again with a new code. You can also remove it and add another.',
  'notify.failingSince': 'Not working since',
  'notify.settings.heading': 'Notifications of new mail',
  'notify.settings.intro':
    'We tell you when you get new Digital Post – with the sender’s name only, never the content. Notifications go to the confirmed contact details above.',
  'notify.settings.channels': 'How do you want to be notified?',
  'notify.settings.email': 'By e-mail',
  'notify.settings.sms': 'By text message (between 8:00 and 21:00)',
  'notify.settings.noEmail': 'You have no confirmed e-mail address, so no e-mails will be sent.',
  'notify.settings.noMobile': 'You have no confirmed mobile number, so no text messages will be sent.',
  'notify.settings.language': 'Language of the notifications',
  'notify.settings.language.da': 'Danish (dansk)',
  'notify.settings.language.en': 'English',
  'notify.settings.nemsms': 'NemSMS',
  'notify.settings.nemsms.hint':
    'With NemSMS, authorities can send you short reminders by text message, e.g. about a dentist appointment. It needs a confirmed mobile number.',
  'notify.settings.nemsms.label': 'Yes, I want to receive NemSMS',
  'notify.settings.save': 'Save choices',
} as const;
