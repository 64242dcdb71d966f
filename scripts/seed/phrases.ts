/**
 * What the simulated customers and agents say, per language. Customer lines are ordinary support requests (the bot
 * classifies them live; nothing here tells it the answer), plus clusters of things the bot does not understand, so the
 * misunderstood-utterance inbox has real work. Yes/no/skip come from the bot's own catalogues.
 */

/** One language's lines. `{order}` is replaced by an order number. */
export interface PhraseBank {
  greeting: string[];
  thanks: string[];
  goodbye: string[];
  /** FAQ questions across the faq.* intents. */
  faq: string[];
  order: string[];
  orderNoNumber: string[];
  complaint: string[];
  complaintDetail: string[];
  /** Strongly negative lines (two in a row escalate). */
  angry: string[];
  person: string[];
  /** What a customer tells the agent. */
  issue: string[];
  /** Groups of variants of one thing the bot does not understand (or understands only weakly). */
  misunderstood: string[][];
  agentHello: string[];
  agentFix: string[];
  agentNotes: string[];
  /** What the team answers a ticket with when it closes it. */
  ticketReply: string[];
}

const en: PhraseBank = {
  greeting: ['hi', 'hello', 'hey there', 'good morning'],
  thanks: ['thanks a lot', 'thank you!', 'great, thanks'],
  goodbye: ['bye', "that's all, bye", 'goodbye'],
  faq: [
    'how do returns work?', 'can I get a refund', 'do you ship to Canada?', 'how long does delivery take?', 'can I pay with PayPal?',
    'I forgot my password', 'how do I cancel my order?', 'I need an invoice', 'what are your opening hours?', 'can I exchange these shoes for a bigger size',
    'how do I update my card details', 'do you deliver on sundays',
  ],
  order: ['where is my order {order}?', 'can you track order {order}', 'has my parcel {order} shipped yet', 'status of order {order} please'],
  orderNoNumber: ['where is my order?', "where's my stuff", 'has my parcel shipped yet'],
  complaint: ['my item arrived broken', 'the lamp I got is cracked', 'I received the wrong item', 'my order is late and I am annoyed'],
  complaintDetail: ['The box was crushed and the glass is shattered.', 'I ordered a blue one and got a red one.', 'It was due last week and still has not come.'],
  angry: ["this is terrible, I'm furious", 'absolutely awful, I am so angry', "this is ridiculous, I've been waiting forever", 'worst service ever, totally useless'],
  person: ['I want to talk to a person', 'can I speak with someone', 'let me talk to a human please', 'is anyone real there'],
  issue: ['My parcel never arrived and I need it by Friday.', 'I was charged twice for the same order.', 'The replacement you sent is broken too.', 'I need to change the delivery address urgently.'],
  misunderstood: [
    ['the website keeps crashing at checkout', 'checkout page keeps crashing', 'the website keeps crashing when I pay', 'website crashing at checkout'],
    ['do you have a student discount?', 'is there a student discount', 'student discount?'],
    ['is the blue sofa back in stock', 'when will the blue sofa be back in stock', 'is the linen duvet in stock'],
    ['do you price match', 'do you do price matching'],
    ['do you have a loyalty program', 'do you have a rewards program?'],
    ["what's the weather like today", 'tell me a joke', 'asdfgh'],
    ["my coupon isn't working", 'my parcel is stuck at customs'],
  ],
  agentHello: ["Hi, I'm here to help. Let me look into this.", 'Hello! Thanks for waiting, I have your conversation in front of me.'],
  agentFix: ["I've sorted it out: you'll get an email with the details shortly.", "Done: I've arranged a replacement by express delivery.", "I've refunded the duplicate charge; it shows in 3 to 5 days."],
  agentNotes: ['Replacement sent', 'Refunded duplicate charge', 'Address updated', 'Explained the delay, voucher given'],
  ticketReply: ['We have sent a replacement by express; it should reach you in two working days.', 'The full amount is back on your card; banks take 3 to 5 days to show it.', 'The courier found your parcel at their depot and delivers it tomorrow.'],
};

const zh: PhraseBank = {
  greeting: ['你好', '您好呀，请问现在有人值班吗', '早上好，打扰啦'],
  thanks: ['谢谢', '好的，非常感谢你的帮忙'],
  goodbye: ['再见', '没其他事了，再见哈'],
  faq: ['怎么退货', '你们的退货规定是什么', '配送要收多少钱', '普通快递一般要几天', '支持PayPal付款吗', '登录密码忘记了，怎么办', '下的单怎么撤销', '订单的收据在哪里拿', '客服开到几点'],
  order: ['帮我查一下订单{order}', '帮我瞧瞧{order}送到哪儿了'],
  orderNoNumber: ['我的快递在哪里'],
  complaint: ['收到的花瓶碎成好几片了', '我订的是绿色毛衣，结果寄来的是蓝色的'],
  complaintDetail: ['包装都压坏了，里面的东西也碎了。'],
  angry: ['太差劲了，我非常生气', '这服务简直糟透了，我很愤怒'],
  person: ['我要找人工客服', '能让真人来跟我说吗', '麻烦帮我接一下人工服务'],
  issue: ['我的包裹一直没到，周五之前必须收到。', '同一个订单被扣了两次钱。'],
  misunderstood: [['学生有优惠吗', '学生有没有优惠'], ['温网冠军是谁', '有没有什么冷知识']],
  agentHello: ['您好，我来帮您处理。'],
  agentFix: ['已经帮您处理好了，稍后会收到邮件。'],
  agentNotes: ['已处理', '已退款'],
  ticketReply: ['我们已经用加急快递给您补发，两个工作日内送到。', '款项已全额退回您的卡上，3到5天内到账。'],
};

const fa: PhraseBank = {
  greeting: ['سلام', 'درود و وقت بخیر'],
  thanks: ['ممنون', 'مرسی بابت همه چی'],
  goodbye: ['خداحافظ', 'خب دیگه خداحافظ شما'],
  faq: ['چطوری کالا رو مرجوع کنم؟', 'ارسال به فرانسه دارید؟', 'با پی‌پال میشه پرداخت کرد؟', 'پسورد حسابمو یادم رفته، چیکار کنم؟', 'چطوری خریدمو لغو کنم؟', 'رسید خریدمو لازم دارم', 'شماره تلفنتون رو میدید؟'],
  order: ['وضعیت سفارش {order} چیه؟', 'سفارش {order} من کجاست؟'],
  orderNoNumber: ['سفارشم کجاست؟'],
  complaint: ['کالایی که فرستادید کلاً داغونه', 'گوشی که خریدم روشن نمیشه'],
  complaintDetail: ['جعبه له شده بود و کالا شکسته بود.'],
  angry: ['خیلی افتضاحه، واقعاً عصبانی‌ام'],
  person: ['میخوام با یه آدم واقعی صحبت کنم', 'با یک کارشناس انسانی کار دارم'],
  issue: ['بسته‌ام هنوز نرسیده و تا جمعه لازمش دارم.'],
  misunderstood: [['امروز تهران هوا آلوده‌ست؟', 'یه دستور ساده برای ماکارونی بده'], ['پرسپولیس دیشب برد یا باخت؟']],
  agentHello: ['سلام، من اینجام که کمکتون کنم.'],
  agentFix: ['درستش کردم؛ به زودی ایمیلش به دستتون میرسه.'],
  agentNotes: ['رسیدگی شد'],
  ticketReply: ['کالای جایگزین با پست سریع برایتان ارسال شد و تا دو روز کاری می‌رسد.'],
};

const es: PhraseBank = {
  greeting: ['hola', 'buenas tardes', 'hola, ¿hay alguien?'],
  thanks: ['gracias', 'muchas gracias por la ayuda'],
  goodbye: ['adiós', 'eso es todo, chao'],
  faq: ['¿cómo hago una devolución?', '¿hacen envíos a Francia?', '¿cuánto tarda el envío normal?', '¿puedo pagar con PayPal?', 'olvidé mi contraseña', '¿cómo cancelo mi pedido?', 'necesito una factura', '¿a qué hora abren?'],
  order: ['¿dónde está mi pedido {order}?', '¿me dices cómo va el pedido {order}?'],
  orderNoNumber: ['¿dónde está mi paquete?'],
  complaint: ['el jarrón llegó roto', 'me mandaron el producto equivocado'],
  complaintDetail: ['La caja venía aplastada y el cristal estaba hecho pedazos.'],
  angry: ['esto es un desastre, estoy furioso', 'qué servicio tan pésimo, estoy muy enfadado'],
  person: ['quiero hablar con una persona', '¿me pasas con un agente de verdad?'],
  issue: ['Mi paquete nunca llegó y lo necesito antes del viernes.'],
  misunderstood: [['¿tienen descuento para estudiantes?', 'descuento de estudiante'], ['¿quién ganó el partido de ayer?', 'cuéntame un chiste']],
  agentHello: ['Hola, ya estoy contigo. Déjame revisarlo.'],
  agentFix: ['Listo, te llegará un correo con los detalles.'],
  agentNotes: ['Resuelto'],
  ticketReply: ['Te enviamos un repuesto por envío urgente; llegará en dos días hábiles.', 'Te devolvimos el importe completo; el banco tarda de 3 a 5 días en mostrarlo.'],
};

/** Phrase banks of the languages the demo speaks (a served language without one gets no customers). */
export const PHRASES: Record<string, PhraseBank> = { en, es, zh, fa };
