import type { Sector } from '../src/lib/meeting/vocabulary.js';

export interface CatalogueDefault {
	sector: Sector;
	fi: string;
	sv: string;
	provider: string;
	descriptionFi: string;
	descriptionSv: string;
}

/**
 * Typical services around a client of a work ability support team in a Finnish wellbeing services
 * county, in Finnish and Swedish. A starting point that coordinators edit for their own region.
 */
export const defaultCatalogue: readonly CatalogueDefault[] = [
	{ sector: 'health', fi: 'Työttömien terveystarkastus', sv: 'Hälsoundersökning för arbetslösa', provider: 'Sote-keskus, terveysasema', descriptionFi: 'Terveydenhoitajan terveystarkastus ja työkyvyn arvio työttömälle.', descriptionSv: 'Hälsovårdarens hälsoundersökning och bedömning av arbetsförmågan för arbetslösa.' },
	{ sector: 'health', fi: 'Psykiatrinen sairaanhoitaja', sv: 'Psykiatrisk sjukskötare', provider: 'Mielenterveys- ja päihdepalvelut', descriptionFi: 'Keskustelukäynnit ja tuki mielenterveyden kysymyksissä.', descriptionSv: 'Samtalsbesök och stöd i frågor om psykisk hälsa.' },
	{ sector: 'health', fi: 'Fysioterapia', sv: 'Fysioterapi', provider: 'Kuntoutuspalvelut', descriptionFi: 'Liikkumis- ja toimintakyvyn arvio ja harjoittelu.', descriptionSv: 'Bedömning och träning av rörelse- och funktionsförmåga.' },
	{ sector: 'health', fi: 'Lääkärin työkyvyn arvio', sv: 'Läkarens bedömning av arbetsförmågan', provider: 'Sote-keskus, terveysasema', descriptionFi: 'Lääkärin arvio työkyvystä ja tarvittavista lausunnoista.', descriptionSv: 'Läkarens bedömning av arbetsförmågan och behövliga utlåtanden.' },
	{ sector: 'health', fi: 'Päihdepalvelujen vastaanotto', sv: 'Mottagning för missbruksvård', provider: 'Mielenterveys- ja päihdepalvelut', descriptionFi: 'Tuki päihteiden käytön vähentämiseen.', descriptionSv: 'Stöd för att minska användningen av rusmedel.' },
	{ sector: 'social', fi: 'Sosiaalinen kuntoutus', sv: 'Social rehabilitering', provider: 'Aikuissosiaalityö', descriptionFi: 'Ryhmä- ja yksilövalmennus arjen hallintaan ja osallisuuteen.', descriptionSv: 'Grupp- och individuell träning för vardagen och delaktighet.' },
	{ sector: 'social', fi: 'Kuntouttava työtoiminta', sv: 'Arbetsverksamhet i rehabiliteringssyfte', provider: 'Aikuissosiaalityö', descriptionFi: 'Työtoimintaa pitkään työttömänä olleelle, aktivointisuunnitelman mukaan.', descriptionSv: 'Arbetsverksamhet för långtidsarbetslösa enligt aktiveringsplanen.' },
	{ sector: 'social', fi: 'Aikuissosiaalityö, omatyöntekijä', sv: 'Socialt arbete för vuxna, egen kontaktperson', provider: 'Aikuissosiaalityö', descriptionFi: 'Sosiaalityöntekijän tai -ohjaajan tuki ja palvelutarpeen arvio.', descriptionSv: 'Stöd av socialarbetare eller socialhandledare och bedömning av servicebehovet.' },
	{ sector: 'employment', fi: 'Työllisyyspalvelujen asiantuntija', sv: 'Sakkunnig inom sysselsättningstjänster', provider: 'Työllisyyspalvelut', descriptionFi: 'Henkilöasiakasasiantuntija: työnhaku, työllistymissuunnitelma ja palvelut.', descriptionSv: 'Sakkunnig för personkunder: arbetssökning, sysselsättningsplan och tjänster.' },
	{ sector: 'employment', fi: 'Työkokeilu', sv: 'Arbetsprövning', provider: 'Työllisyyspalvelut', descriptionFi: 'Työkyvyn ja ammatinvalinnan selvittäminen oikealla työpaikalla.', descriptionSv: 'Utredning av arbetsförmåga och yrkesval på en riktig arbetsplats.' },
	{ sector: 'employment', fi: 'Palkkatuettu työ', sv: 'Lönesubventionerat arbete', provider: 'Työllisyyspalvelut', descriptionFi: 'Työ, jonka palkkakuluihin työnantaja saa tukea.', descriptionSv: 'Arbete där arbetsgivaren får stöd för lönekostnaderna.' },
	{ sector: 'employment', fi: 'Työhönvalmennus', sv: 'Jobbcoachning', provider: 'Työllisyyspalvelut', descriptionFi: 'Valmentajan tuki työpaikan löytämiseen ja työssä pysymiseen.', descriptionSv: 'Stöd av en coach för att hitta och behålla ett arbete.' },
	{ sector: 'kela', fi: 'Kelan ammatillinen kuntoutus', sv: 'FPA:s yrkesinriktade rehabilitering', provider: 'Kela', descriptionFi: 'Työkokeilut, työhönvalmennus ja koulutus, kun sairaus uhkaa työkykyä.', descriptionSv: 'Arbetsprövningar, jobbcoachning och utbildning när en sjukdom hotar arbetsförmågan.' },
	{ sector: 'kela', fi: 'Kelan kuntoutuspsykoterapia', sv: 'FPA:s rehabiliterande psykoterapi', provider: 'Kela', descriptionFi: 'Psykoterapia työ- tai opiskelukyvyn tueksi.', descriptionSv: 'Psykoterapi för att stödja arbets- eller studieförmågan.' },
	{ sector: 'kela', fi: 'Kuntoutusraha ja toimeentuloturva', sv: 'Rehabiliteringspenning och utkomstskydd', provider: 'Kela', descriptionFi: 'Toimeentulo kuntoutuksen ja työttömyyden aikana.', descriptionSv: 'Utkomst under rehabilitering och arbetslöshet.' },
	{ sector: 'education', fi: 'Opinto-ohjaus', sv: 'Studiehandledning', provider: 'Aikuiskoulutuskeskus', descriptionFi: 'Ohjausta koulutusvaihtoehtoihin ja opintojen suunnitteluun.', descriptionSv: 'Handledning om utbildningsalternativ och planering av studier.' },
	{ sector: 'education', fi: 'Tutkintokoulutukseen valmentava koulutus (TUVA)', sv: 'Utbildning som handleder för examensutbildning (Hux)', provider: 'Ammatillinen oppilaitos', descriptionFi: 'Valmistava koulutus ennen ammatillisia opintoja.', descriptionSv: 'Förberedande utbildning före yrkesinriktade studier.' },
	{ sector: 'third_sector', fi: 'Yhdistyksen vertaisryhmä', sv: 'Föreningens kamratgrupp', provider: 'Paikallinen yhdistys', descriptionFi: 'Vertaistukea ryhmässä, ohjaajana koulutettu vapaaehtoinen.', descriptionSv: 'Kamratstöd i grupp, med en utbildad frivillig som ledare.' },
	{ sector: 'third_sector', fi: 'Kohtaamispaikka', sv: 'Mötesplats', provider: 'Järjestö', descriptionFi: 'Matalan kynnyksen toimintaa ja yhteisö arkeen.', descriptionSv: 'Lågtröskelverksamhet och gemenskap i vardagen.' },
	{ sector: 'third_sector', fi: 'Vapaaehtoistoiminta', sv: 'Frivilligverksamhet', provider: 'Järjestö', descriptionFi: 'Mielekästä tekemistä ja rytmiä vapaaehtoisena.', descriptionSv: 'Meningsfull sysselsättning och rytm som frivillig.' },
	{ sector: 'other', fi: 'Talous- ja velkaneuvonta', sv: 'Ekonomi- och skuldrådgivning', provider: 'Oikeusaputoimisto', descriptionFi: 'Apua talouden suunnitteluun ja velkojen järjestelyyn.', descriptionSv: 'Hjälp med att planera ekonomin och ordna skulder.' }
];
